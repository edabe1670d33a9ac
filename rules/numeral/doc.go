// Package numeral parses the numbers Chinese newspapers write — Arabic, full-width, Chinese
// numerals and mixtures — into float64 values, for the extraction rules' normalisers.
//
// Why it exists: the rules match numbers with patterns, but 3万4000, 一亿二千万 and 1.52万 only
// become values by a grammar, and every normaliser must agree on that one grammar, exactly.
//
// # What Parse accepts
//
// Input is one number, already cut out of the sentence and trimmed: no spaces, qualifiers or
// units other than the multipliers below.
//
//   - Arabic: ASCII or full-width digits; thousands separators "," or "，" only between groups of
//     exactly three digits (1,256 · 12,345,678); a decimal point "." or "．" with digits on both
//     sides; an optional leading sign "-", "－", "−", "负", "負", "+" or "＋".
//   - Chinese digits 零〇○一二两三四五六七八九, the formal 壹贰叁肆伍陆柒捌玖, traditional
//     貳參陸兩, units 十拾 百佰 千仟 万萬 亿億 兆, 廿 (20), 卅 (30), 卌 (40), 点/點 for decimals.
//   - Digit strings: two or more digits and no unit, each character one digit: 二〇二三 = 2023,
//     一九九八 = 1998. 幺 (1) is accepted only here. Exactly two consecutive rising digits
//     (五六, 两三) are a vague range, not 56: Parse rejects them and Vague reads them.
//   - Positional numbers: units fall from 千 to 十 inside a section; 万 closes a section and 亿
//     a group, so 一亿二千三百四十五万六千七百八十九 = 123456789 and 万亿 = 1e12. A section
//     after 万 or 亿 must stay below 10000. A leading 十 stands for 一十 (十五 = 15).
//     零 marks a gap; it must follow a unit and be followed by a digit (三百零五 = 305); it is not
//     checked that a place was really skipped.
//   - Abbreviated tails: one digit right after a unit of 百 or more, ending the number, takes the
//     next lower unit: 一万五 = 15000, 三千二 = 3200, 两百五 = 250, 13万2 = 132000. One digit
//     after 十 is just itself. Ambiguous, so rejected: a tail after a compound unit (十万五,
//     千万五), and one digit right after a unit of 百 or more that is followed by a larger
//     unit (一百二万, 一万五亿). Before 点 the tail is abbreviated too: 两千三点一 = 2300.1.
//     Before a smaller unit the digit is literal: 一亿五万 = 100050000.
//   - 兆 is 10^12 (万亿) between Chinese numerals, and an 亿 group may follow it:
//     五兆六十二亿四万五千二 = 5006200045200.
//   - Arabic numbers serve as coefficients of the units: 3万4000, 25万6千, 3,450万, 3千万.
//   - Decimals take only a multiplier after them: 1.52万, 12.86亿, 1.5万亿, 十二点五万. A decimal
//     written with 点 needs a Chinese integer part (3点5 is more likely a time) and, when a
//     multiplier follows, the multiplier must include 万 or 亿 (三点五十 is rejected).
//   - 两 stands before a unit (两千, 一千两百) or alone (两 = 2); 一千两 is rejected.
//
// Values are exact: digits are kept as a decimal mantissa and exponent, and converted to
// float64 once, correctly rounded, so 1.52万 is 15200 and 12.86亿 is 1286000000 exactly, and a
// plain string of ASCII digits gives the same value as strconv.ParseFloat.
//
// # What Parse rejects
//
// Anything that is not wholly one number: "", 万, 亿, 百 (a bare unit; use Mult), 点, 亿万,
// 十十, 五六百 (vague: use Vague), 1,23, spaces, 零下3 (the caller handles 零下), 3.
// Errors read `numeral: "input": problem`.
package numeral
