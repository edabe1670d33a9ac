package numeral

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// same reports whether got is exactly want, sign of zero included.
func same(got, want float64) bool {
	return got == want && math.Signbit(got) == math.Signbit(want)
}

// checkErr checks that err names the input and a problem.
func checkErr(t *testing.T, call, in string, err error) {
	t.Helper()
	prefix := "numeral: " + strconv.Quote(in) + ": "
	if err == nil || !strings.HasPrefix(err.Error(), prefix) || len(err.Error()) == len(prefix) {
		t.Errorf("%s(%q) error = %v; want %q and a problem", call, in, err, prefix)
	}
}

var parseTests = []struct {
	in   string
	want float64
}{
	// Arabic.
	{"0", 0},
	{"7", 7},
	{"007", 7},
	{"94", 94},
	{"1256", 1256},
	{"1,256", 1256},
	{"12,345,678", 12345678},
	{"1，256", 1256},
	{"3.5", 3.5},
	{"12.86", 12.86},
	{"0.5", 0.5},
	{"0.1", 0.1},
	{"3,450.5", 3450.5},
	{"１２３", 123},
	{"１２．５", 12.5},
	{"１，２５６", 1256},
	{"1２3", 123},
	{"-3", -3},
	{"负3", -3},
	{"負3", -3},
	{"－3", -3},
	{"−3", -3},
	{"+3", 3},
	{"＋3", 3},
	{"-0", math.Copysign(0, -1)},
	{"12345678901234567890123", 12345678901234567890123},
	{"0.000000000000000000000000001", 1e-27},
	{"9007199254740993", 9007199254740993}, // 2^53+1: rounds like strconv

	// Arabic with 万/亿.
	{"3,450万", 34500000},
	{"12.86亿", 1286000000},
	{"1.52万", 15200},
	{"0.3亿", 30000000},
	{"3.45万", 34500},
	{"3.5亿", 350000000},
	{"1.5亿", 150000000},
	{"300亿", 30000000000},
	{"10亿", 1000000000},
	{"1万亿", 1e12},
	{"1.5万亿", 1.5e12},
	{"8.6万亿", 8.6e12},
	{"0.01万", 100},
	{"1.23456万", 12345.6},
	{"3,450.5万", 34505000},
	{"1.5千万", 15000000},
	{"2.5百万", 2500000},
	{"1.5十万", 150000},
	{"3万4000", 34000},
	{"25万6千", 256000},
	{"13万2", 132000},
	{"1万2", 12000},
	{"3千万", 30000000},
	{"3千5", 3500},
	{"3千500", 3500},
	{"12345万", 123450000},
	{"1亿2345万6789", 123456789},
	{"1亿5000万", 150000000},
	{"1亿5万", 100050000},
	{"1万3000亿", 1.3e12},
	{"3万零500", 30500},
	{"-1.5万", -15000},
	{"9999999999999999999万9999", 99999999999999999999999}, // beyond uint64
	{"18446744073709551615万", 184467440737095516150000},

	// Chinese positional.
	{"零", 0},
	{"〇", 0},
	{"一", 1},
	{"两", 2},
	{"十", 10},
	{"十五", 15},
	{"一十五", 15},
	{"二十", 20},
	{"二十三", 23},
	{"一百", 100},
	{"一百零一", 101},
	{"一百一十", 110},
	{"一百一", 110},
	{"三百零五", 305},
	{"一千二百", 1200},
	{"一千零二十", 1020},
	{"一千零十", 1010},
	{"两千", 2000},
	{"两百五", 250},
	{"三千二", 3200},
	{"一千两百", 1200},
	{"一万", 10000},
	{"一万五", 15000},
	{"一万零五", 10005},
	{"一万零五百", 10500},
	{"一万两千", 12000},
	{"两万", 20000},
	{"二十三万", 230000},
	{"十万", 100000},
	{"一百万", 1000000},
	{"一千万", 10000000},
	{"一亿", 1e8},
	{"一亿五", 1.5e8},
	{"一亿零五万", 100050000},
	{"一亿五万", 100050000},
	{"一亿二千万", 120000000},
	{"一万亿", 1e12},
	{"三千万亿", 3e15},
	{"一亿二千三百四十五万六千七百八十九", 123456789},
	{"九千九百九十九万九千九百九十九", 99999999},
	{"负三百", -300},

	// Chinese decimals.
	{"十二点五", 12.5},
	{"零点五", 0.5},
	{"三点一四", 3.14},
	{"零点零一", 0.01},
	{"一百零二点五", 102.5},
	{"一百二点五", 120.5},
	{"两千三点一", 2300.1},
	{"一千六点五", 1600.5},
	{"五兆六十二亿四万五千二", 5006200045200},
	{"五十五兆壹十二億四萬五千二", 55001200045200},
	{"四十九兆九千五百九十二億", 49959200000000},
	{"一兆", 1e12},
	{"十二点五万", 125000},
	{"一点五亿", 1.5e8},
	{"一点五二万", 15200},
	{"负零点五", -0.5},

	// Digit strings.
	{"二〇二三", 2023},
	{"二零二三", 2023},
	{"二○二三", 2023},
	{"一九九八", 1998},
	{"九八", 98},
	{"五零", 50},
	{"一二三", 123},
	{"零零", 0},
	{"〇〇七", 7},
	{"一幺", 11},
	{"幺幺零", 110},

	// 廿 卅 卌, formal and traditional characters.
	{"廿", 20},
	{"廿三", 23},
	{"卅", 30},
	{"卅一", 31},
	{"卌", 40},
	{"一百廿", 120},
	{"壹仟贰佰叁拾肆", 1234},
	{"伍佰", 500},
	{"拾伍", 15},
	{"壹万", 10000},
	{"兩萬", 20000},
	{"一億", 1e8},
	{"十二點五", 12.5},
	{"貳拾參", 23},
	{"陸", 6},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		got, err := Parse(tt.in)
		if err != nil || !same(got, tt.want) {
			t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// TestParseExact checks the values where naive float arithmetic is off: 1.52*10000 is
// 15200.000000000002 in float64, Parse must give 15200.
func TestParseExact(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
	}{
		{"1.52万", 15200},
		{"12.86亿", 1286000000},
		{"0.3亿", 30000000},
		{"3.45万", 34500},
		{"1.1万", 11000},
		{"2.3亿", 230000000},
		{"4.35万亿", 4350000000000},
		{"0.07万", 700},
		{"十二点八六亿", 1286000000},
		{"零点三亿", 30000000},
	} {
		got, err := Parse(tt.in)
		if err != nil || math.Float64bits(got) != math.Float64bits(tt.want) {
			t.Errorf("Parse(%q) = %v (%b), %v; want exactly %v", tt.in, got, math.Float64bits(got), err, tt.want)
		}
	}
}

var parseRejects = []string{
	"", "万", "亿", "点", "亿万", "一一一点", "1,23", "abc", "十十", "五六百",
	"五六", "两三", "一二", "百", "千", "百万", "千万", "万亿", "十百", "一百二千", "一万万", "一亿亿",
	"3.", ".5", "3..5", "1.5.3", "1,2345", "12345,678", "0,123", "1,", ",123", "1,,234",
	"1,234.567,8", "1 256", " 3", "3 ", "-", "负", "--3", "负负3", "3-", "3%", "３％",
	"3万4.5", "3万1.5千", "1.5万3", "1.5万亿万", "3点5", "一百零", "一百零零五", "零五十", "一万零",
	"一百零万", "一万十五", "一百十", "一百二万", "一万五亿", "十万五", "一千万五", "一千两", "十两",
	"两点五", "三点五十", "十二点", "点五", "一万二点五万", "十二点两", "3万40000",
	"1万2千3000", "3千12百", "1亿12345万", "幺", "一幺十", "十几", "几十", "上万", "三十多", "3万余",
	"零下3", "\xff", "3\x00", "１．", "十二点5", "二0二三", "3三", "三3", "1/3", "三分之一", "%",
	"第三", "1e5", "0x10", "Inf", "NaN", "1_000", "十二点五万万", "，123", "．5", "十二点五点三",
	"1.5点3",
}

func TestParseRejects(t *testing.T) {
	for _, in := range parseRejects {
		got, err := Parse(in)
		if err == nil {
			t.Errorf("Parse(%q) = %v, nil; want an error", in, got)
			continue
		}
		checkErr(t, "Parse", in, err)
	}
}

func TestParseErrorText(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", `numeral: "": empty`},
		{"abc", `numeral: "abc": unexpected character 'a'`},
		{"五六百", `numeral: "五六百": two consecutive digits are a vague range (see Vague)`},
		{"万", `numeral: "万": 万 without a number before it`},
		{"1,23", `numeral: "1,23": thousands separator not between groups of three digits`},
	} {
		_, err := Parse(tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Parse(%q) error = %v; want %s", tt.in, err, tt.want)
		}
	}
}

// chinese writes n the standard way: 一亿零五万, 十五, 一百一十.
func chinese(n uint64) string {
	if n == 0 {
		return "零"
	}
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	units := []string{"", "十", "百", "千"}
	section := func(s uint64) string {
		var b strings.Builder
		zero := false
		for place := 3; place >= 0; place-- {
			d := s / uint64(math.Pow10(place)) % 10
			if d == 0 {
				zero = b.Len() > 0
				continue
			}
			if zero {
				b.WriteString("零")
				zero = false
			}
			b.WriteString(digits[d] + units[place])
		}
		return b.String()
	}
	var b strings.Builder
	gap := false // a zero place between the last written section and the next
	for _, s := range []struct {
		v    uint64
		unit string
	}{{n / 1e8, "亿"}, {n / 1e4 % 1e4, "万"}, {n % 1e4, ""}} {
		if s.v == 0 {
			gap = b.Len() > 0
			continue
		}
		if b.Len() > 0 && (gap || s.v < 1000) {
			b.WriteString("零")
		}
		b.WriteString(section(s.v) + s.unit)
		gap = false
	}
	out := b.String()
	if strings.HasPrefix(out, "一十") {
		out = strings.TrimPrefix(out, "一") // 十五, not 一十五
	}
	return out
}

func TestParseChineseRange(t *testing.T) {
	check := func(n uint64) {
		in := chinese(n)
		if got, err := Parse(in); err != nil || got != float64(n) {
			t.Fatalf("Parse(%q) = %v, %v; want %v", in, got, err, n)
		}
	}
	for n := range uint64(100001) {
		check(n)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		check(r.Uint64N(1e12))
	}
}

func TestParseArabicMatchesStrconv(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		intPart := strconv.FormatUint(r.Uint64N(1e9), 10)
		frac := strconv.FormatUint(r.Uint64N(1e6), 10)
		for _, in := range []string{intPart, intPart + "." + frac} {
			want, _ := strconv.ParseFloat(in, 64)
			if got, err := Parse(in); err != nil || got != want {
				t.Fatalf("Parse(%q) = %v, %v; want %v", in, got, err, want)
			}
			// The same with 万: exactly the decimal times 10^4.
			want, _ = strconv.ParseFloat(in+"e4", 64)
			if got, err := Parse(in + "万"); err != nil || got != want {
				t.Fatalf("Parse(%q) = %v, %v; want %v", in+"万", got, err, want)
			}
		}
	}
}

// TestParseLong checks inputs far beyond newspaper sizes: long mantissas must still round
// correctly, whatever their exponent, and overflow is an error.
func TestParseLong(t *testing.T) {
	thirds := strings.Repeat("3", 20000)
	for _, tt := range []struct {
		in      string
		want    float64
		wantErr bool
	}{
		{in: "1." + thirds + "万亿", want: 4e12 / 3},
		{in: "0." + thirds + "亿", want: 1e8 / 3},
		{in: "0." + strings.Repeat("0", 20000) + "1", want: 0},
		{in: "十二点" + strings.Repeat("五", 2000) + "万", want: 125555.55555555556},
		{in: "3" + thirds + "万", wantErr: true},
		{in: strings.Repeat("一", 400), wantErr: true},
	} {
		got, err := Parse(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Parse(%.12q…) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestMult(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
	}{
		{"", 1}, {"十", 10}, {"百", 100}, {"千", 1000}, {"万", 1e4}, {"十万", 1e5}, {"百万", 1e6},
		{"千万", 1e7}, {"亿", 1e8}, {"十亿", 1e9}, {"百亿", 1e10}, {"千亿", 1e11}, {"万亿", 1e12},
		{"十万亿", 1e13}, {"百万亿", 1e14}, {"千万亿", 1e15}, {"拾", 10}, {"佰", 100}, {"仟", 1000},
		{"萬", 1e4}, {"億", 1e8}, {"萬億", 1e12},
	} {
		got, ok := Mult(tt.in)
		if !ok || got != tt.want {
			t.Errorf("Mult(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
	for _, in := range []string{"亿万", "万万", "亿亿", "十百", "百十", "十十", "个", "1", "万个", "兆", "一万", "十 万", "\xff"} {
		if got, ok := Mult(in); ok {
			t.Errorf("Mult(%q) = %v, true; want false", in, got)
		}
	}
}

func TestPercent(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
	}{
		{"94", 94}, {"12.5", 12.5}, {"94%", 94}, {"９４％", 94}, {"12.5%", 12.5}, {"-3.5%", -3.5},
		{"0.5%", 0.5}, {"250%", 250}, {"百分之十二点五", 12.5}, {"百分之百", 100}, {"百分之五十", 50},
		{"百分之一百二十", 120}, {"百分之3", 3}, {"百分之零点五", 0.5}, {"四成", 40}, {"两成", 20},
		{"三成五", 35}, {"十成", 100}, {"一成", 10}, {"3成", 30}, {"九成九", 99}, {"零成五", 5},
	} {
		got, err := Percent(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Percent(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{
		"五成以上", "", "%", "％", "百分之", "百分之五十%", "94%%", "%94", "三成两", "十成五", "十一成", "三成五六",
		"成", "1.5成", "百分之五十以上", "约94%", "负三成", "两三成", "百分之几", "94 %", "abc",
	} {
		got, err := Percent(in)
		if err == nil {
			t.Errorf("Percent(%q) = %v, nil; want an error", in, got)
			continue
		}
		checkErr(t, "Percent", in, err)
	}
}

func TestFraction(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want float64
	}{
		{"三分之一", 1.0 / 3}, {"三分之二", 2.0 / 3}, {"四分之三", 0.75}, {"二分之一", 0.5},
		{"十分之一", 0.1}, {"百分之五十", 0.5}, {"千分之五", 0.005}, {"万分之三", 0.0003},
		{"百万分之一", 1e-6}, {"百分之百", 1}, {"3分之1", 1.0 / 3}, {"十二分之五", 5.0 / 12},
		{"三分之二点五", 2.5 / 3},
	} {
		got, err := Fraction(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Fraction(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"2/3", "三分之", "分之一", "零分之一", "三分之几", "", "一半", "三分之一%", "百分之千"} {
		got, err := Fraction(in)
		if err == nil {
			t.Errorf("Fraction(%q) = %v, nil; want an error", in, got)
			continue
		}
		checkErr(t, "Fraction", in, err)
	}
}

func TestVague(t *testing.T) {
	for _, tt := range []struct {
		in     string
		lo, hi float64
	}{
		// 几/数 leading: 2-9 of the unit.
		{"几十", 20, 90}, {"数十", 20, 90}, {"几百", 200, 900}, {"数百", 200, 900},
		{"几千", 2000, 9000}, {"几万", 20000, 90000}, {"数万", 20000, 90000},
		{"几十万", 200000, 900000}, {"数十万", 200000, 900000}, {"数千万", 2e7, 9e7},
		{"数亿", 2e8, 9e8}, {"几", 2, 9},
		// 几 elsewhere: 1-9 in its place.
		{"十几", 11, 19}, {"十几万", 110000, 190000}, {"二十几", 21, 29}, {"一百零几", 101, 109},
		{"三百几", 310, 390}, {"一百几十", 110, 190}, {"十几亿", 1.1e9, 1.9e9},
		// Consecutive digits.
		{"两三", 2, 3}, {"一两", 1, 2}, {"五六", 5, 6}, {"五六百", 500, 600}, {"三四十", 30, 40},
		{"十五六", 15, 16}, {"三十五六万", 350000, 360000}, {"七八万", 70000, 80000},
		{"两三千", 2000, 3000}, {"八九十", 80, 90},
		// 上.
		{"上百", 100, 999}, {"上千", 1000, 9999}, {"上万", 10000, 99999}, {"上亿", 1e8, 1e9 - 1},
		{"上百万", 1e6, 1e7 - 1},
		// 多/余.
		{"十多", 11, 19}, {"三十多", 31, 39}, {"100多", 101, 199}, {"一百多", 101, 199},
		{"十多万", 110000, 190000}, {"100多万", 1010000, 1990000}, {"3万多", 30001, 39999},
		{"二十余", 21, 29}, {"40余万", 410000, 490000}, {"一千多亿", 1001e8, 1999e8},
	} {
		lo, hi, ok := Vague(tt.in)
		if !ok || lo != tt.lo || hi != tt.hi {
			t.Errorf("Vague(%q) = %v, %v, %v; want %v, %v, true", tt.in, lo, hi, ok, tt.lo, tt.hi)
		}
	}
	for _, in := range []string{
		"", "三百", "3万4000", "五", "几十几", "十几多", "数", "三数", "数三", "上", "上十", "上三", "三上万",
		"多", "5多", "十五多", "十多百", "abc", "五六七", "五七", "〇五六", "二〇几", "几〇", "-十几",
		"十几%", "5六百", "1.5多", "两",
	} {
		if lo, hi, ok := Vague(in); ok {
			t.Errorf("Vague(%q) = %v, %v, true; want ok=false", in, lo, hi)
		}
	}
}

func TestOrdinal(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"第三", 3}, {"第12", 12}, {"第一百零一", 101}, {"第十", 10}, {"第二十一", 21}, {"第１２", 12},
		{"第两百", 200}, {"第一", 1}, {"第1,000", 1000},
	} {
		got, err := Ordinal(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Ordinal(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{
		"三", "3", "第", "第零", "第0", "第-1", "第负一", "第+1", "第1.5", "第两", "第十几", "第三名", "第一亿亿",
		"第99999999999999999999",
	} {
		got, err := Ordinal(in)
		if err == nil {
			t.Errorf("Ordinal(%q) = %v, nil; want an error", in, got)
			continue
		}
		checkErr(t, "Ordinal", in, err)
	}
}

// raceEnabled is set by race_test.go.
var raceEnabled bool

// TestParseAllocs keeps the hot path free of allocations.
func TestParseAllocs(t *testing.T) {
	if testing.CoverMode() != "" || raceEnabled {
		t.Skip("coverage or the race detector changes allocation counts")
	}
	for _, in := range benchInputs {
		if n := testing.AllocsPerRun(100, func() { Parse(in) }); n != 0 {
			t.Errorf("Parse(%q) allocates %v times per call; want 0", in, n)
		}
	}
}

// onlyBytes reports whether s is non-empty and made only of bytes in set.
func onlyBytes(s, set string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(set, s[i]) < 0 {
			return false
		}
	}
	return true
}

func seedCorpus(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	for _, in := range parseRejects {
		f.Add(in)
	}
	for _, in := range []string{"百分之十二点五", "三成五", "94%", "三分之一", "十几万", "五六百", "上万", "3万多", "第一百零一"} {
		f.Add(in)
	}
}

func FuzzParse(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Parse(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "numeral: "+strconv.Quote(s)+": ") {
				t.Errorf("Parse(%q) error %q does not name the input", s, err)
			}
		} else {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("Parse(%q) = %v", s, v)
			}
			// Plain ASCII digits, with at most a decimal point: the same value as strconv.
			if onlyBytes(s, "0123456789.") {
				if want, perr := strconv.ParseFloat(s, 64); perr != nil || v != want {
					t.Errorf("Parse(%q) = %v; strconv.ParseFloat = %v, %v", s, v, want, perr)
				}
			}
			// With separators: the same value without them.
			if onlyBytes(s, "0123456789,.") {
				if want, perr := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64); perr != nil || v != want {
					t.Errorf("Parse(%q) = %v; strconv.ParseFloat without commas = %v, %v", s, v, want, perr)
				}
			}
			// A sign negates.
			if neg, rest := cutSign(s); !neg && rest == s {
				if nv, nerr := Parse("负" + s); nerr != nil || !same(nv, -v) {
					t.Errorf("Parse(%q) = %v, %v; want %v", "负"+s, nv, nerr, -v)
				}
			}
			if !utf8.ValidString(s) {
				t.Errorf("Parse(%q) = %v accepted invalid UTF-8", s, v)
			}
		}
		// The other entry points must not panic either.
		Mult(s)
		Fraction(s)
		Ordinal(s)
		if lo, hi, ok := Vague(s); ok && !(lo < hi) {
			t.Errorf("Vague(%q) = %v, %v, true; want lo < hi", s, lo, hi)
		}
	})
}

func FuzzPercent(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, s string) {
		v, err := Percent(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "numeral: "+strconv.Quote(s)+": ") {
				t.Errorf("Percent(%q) error %q does not name the input", s, err)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("Percent(%q) = %v", s, v)
		}
		if onlyBytes(s, "0123456789.") {
			if want, perr := strconv.ParseFloat(s, 64); perr != nil || v != want {
				t.Errorf("Percent(%q) = %v; strconv.ParseFloat = %v, %v", s, v, want, perr)
			}
		}
		// A plain number and the same number with % agree.
		if pv, perr := Parse(s); perr == nil {
			if w, werr := Percent(s + "%"); werr != nil || !same(w, pv) || !same(v, pv) {
				t.Errorf("Percent(%q) = %v, Percent(%q) = %v, %v; Parse(%q) = %v", s, v, s+"%", w, werr, s, pv)
			}
		}
	})
}

var benchInputs = []string{
	"1,256", "3,450万", "12.86亿", "1.52万", "3万4000", "二十三万", "二〇二三", "十二点五",
	"一亿二千三百四十五万六千七百八十九", "１２３", "94",
}

func BenchmarkParse(b *testing.B) {
	for _, in := range benchInputs {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("reject", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Parse("五六百"); err == nil {
				b.Fatal("accepted")
			}
		}
	})
}

// BenchmarkParseFloat is the strconv baseline for BenchmarkParse/1,256 and /94.
func BenchmarkParseFloat(b *testing.B) {
	for b.Loop() {
		strconv.ParseFloat("1256", 64)
	}
}

func ExampleParse() {
	for _, s := range []string{"3万4000", "1.52万", "一亿二千万", "两百五", "二〇二三", "五六百"} {
		v, err := Parse(s)
		fmt.Println(v, err)
	}
	// Output:
	// 34000 <nil>
	// 15200 <nil>
	// 1.2e+08 <nil>
	// 250 <nil>
	// 2023 <nil>
	// 0 numeral: "五六百": two consecutive digits are a vague range (see Vague)
}

func ExampleVague() {
	for _, s := range []string{"十几万", "几十", "五六百", "上万", "3万多"} {
		lo, hi, ok := Vague(s)
		fmt.Println(s, lo, hi, ok)
	}
	// Output:
	// 十几万 110000 190000 true
	// 几十 20 90 true
	// 五六百 500 600 true
	// 上万 10000 99999 true
	// 3万多 30001 39999 true
}

func ExamplePercent() {
	for _, s := range []string{"94%", "百分之十二点五", "三成五"} {
		v, _ := Percent(s)
		fmt.Println(v)
	}
	// Output:
	// 94
	// 12.5
	// 35
}
