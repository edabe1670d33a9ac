package entities_test

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"unicode"

	"github.com/newsfacts/newsfacts/pipeline/entity"
	"github.com/newsfacts/newsfacts/rules/entities"
)

// entries returns every name of a data file, each with the first name of its line entry
// (the full name), skipping comments and section lines.
func entries(t *testing.T, name string) map[string]string {
	t.Helper()
	data, err := entities.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if strings.HasPrefix(strings.TrimSpace(line), "[") {
			continue
		}
		for _, e := range strings.Fields(line) {
			names := strings.Split(e, "|")
			for _, n := range names {
				if _, dup := out[n]; !dup {
					out[n] = names[0]
				}
			}
		}
	}
	return out
}

func TestFilesLoad(t *testing.T) {
	want := []string{"divisions.txt", "not_entities.txt", "org_suffixes.txt", "organizations.txt", "people.txt",
		"person_cues.txt", "place_suffixes.txt", "surnames.txt", "surnames_ambiguous.txt", "transliteration.txt", "world.txt"}
	if got := entities.Names(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("files: %v, want %v", got, want)
	}
	if _, err := entity.New(entities.FS()); err != nil {
		t.Fatal(err)
	}
}

// Every name is written in Han characters (a few organisations in Latin letters or with ·),
// and the lists do not contradict each other.
func TestEntries(t *testing.T) {
	places := entries(t, "divisions.txt")
	for n, full := range entries(t, "world.txt") {
		if _, ok := places[n]; !ok {
			places[n] = full
		}
	}
	orgs := entries(t, "organizations.txt")
	people := entries(t, "people.txt")
	not := entries(t, "not_entities.txt")
	for file, m := range map[string]map[string]string{"places": places, "organizations.txt": orgs, "people.txt": people, "not_entities.txt": not} {
		for n := range m {
			for _, r := range n {
				if !unicode.Is(unicode.Han, r) && r != '·' && r != '（' && r != '）' && !(file == "organizations.txt" && (r >= 'A' && r <= 'Z' || r == '-')) {
					t.Errorf("%s: %q has %q", file, n, r)
					break
				}
			}
		}
	}
	for n := range orgs {
		if _, ok := places[n]; ok {
			t.Errorf("%s is both a place and an organisation", n)
		}
		if _, ok := not[n]; ok {
			t.Errorf("%s is an organisation and in not_entities.txt", n)
		}
	}
	for n := range people {
		if _, ok := places[n]; ok {
			t.Errorf("%s is both a place and a person", n)
		}
		if _, ok := orgs[n]; ok {
			t.Errorf("%s is both an organisation and a person", n)
		}
	}
	for n := range places {
		if _, ok := not[n]; ok {
			t.Errorf("%s is a place and in not_entities.txt", n)
		}
	}
	for n := range entries(t, "surnames.txt") {
		if _, ok := entries(t, "surnames_ambiguous.txt")[n]; ok {
			t.Errorf("surname %s is in both surname lists", n)
		}
	}
}

// The gazetteer holds every province-level division under its full and short names, and
// the seats of their governments.
func TestGazetteer(t *testing.T) {
	places := entries(t, "divisions.txt")
	for _, p := range []struct{ short, full string }{
		{"北京", "北京市"}, {"天津", "天津市"}, {"上海", "上海市"}, {"重庆", "重庆市"}, {"河北", "河北省"},
		{"山西", "山西省"}, {"辽宁", "辽宁省"}, {"吉林", "吉林省"}, {"黑龙江", "黑龙江省"}, {"江苏", "江苏省"},
		{"浙江", "浙江省"}, {"安徽", "安徽省"}, {"福建", "福建省"}, {"江西", "江西省"}, {"山东", "山东省"},
		{"河南", "河南省"}, {"湖北", "湖北省"}, {"湖南", "湖南省"}, {"广东", "广东省"}, {"海南", "海南省"},
		{"四川", "四川省"}, {"贵州", "贵州省"}, {"云南", "云南省"}, {"陕西", "陕西省"}, {"甘肃", "甘肃省"},
		{"青海", "青海省"}, {"台湾", "台湾省"}, {"内蒙古", "内蒙古自治区"}, {"广西", "广西壮族自治区"},
		{"西藏", "西藏自治区"}, {"宁夏", "宁夏回族自治区"}, {"新疆", "新疆维吾尔自治区"},
		{"香港", "香港特别行政区"}, {"澳门", "澳门特别行政区"},
		{"石家庄", "石家庄市"}, {"太原", "太原市"}, {"呼和浩特", "呼和浩特市"}, {"沈阳", "沈阳市"},
		{"长春", "长春市"}, {"哈尔滨", "哈尔滨市"}, {"南京", "南京市"}, {"杭州", "杭州市"}, {"合肥", "合肥市"},
		{"福州", "福州市"}, {"南昌", "南昌市"}, {"济南", "济南市"}, {"郑州", "郑州市"}, {"武汉", "武汉市"},
		{"长沙", "长沙市"}, {"广州", "广州市"}, {"南宁", "南宁市"}, {"海口", "海口市"}, {"成都", "成都市"},
		{"贵阳", "贵阳市"}, {"昆明", "昆明市"}, {"拉萨", "拉萨市"}, {"西安", "西安市"}, {"兰州", "兰州市"},
		{"西宁", "西宁市"}, {"银川", "银川市"}, {"乌鲁木齐", "乌鲁木齐市"}, {"台北", "台北市"},
		{"温岭", "温岭市"}, {"台州", "台州市"}, {"石塘", "石塘镇"},
	} {
		if places[p.short] != p.full || places[p.full] != p.full {
			t.Errorf("%s → %q, %s → %q; want both %s", p.short, places[p.short], p.full, places[p.full], p.full)
		}
	}
	if n := len(places); n < 2500 {
		t.Errorf("the gazetteer holds %d names; expected the prefectures and most counties", n)
	}
}
