#include "csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace truce::ingest {
namespace {

struct Row {
  std::int64_t line;
  std::string raw;
  std::vector<std::string> fields;
  CsvIssue issue;
  int issue_field;
};

std::vector<Row> All(std::string_view text, CsvOptions options = {}) {
  CsvTokenizer tok(text, options);
  CsvRecord rec;
  std::vector<Row> out;
  while (tok.Next(&rec)) {
    Row r{rec.line, std::string(rec.raw), {}, rec.issue, rec.issue_field};
    for (auto f : rec.fields) r.fields.emplace_back(f);
    out.push_back(r);
  }
  return out;
}

using Fields = std::vector<std::string>;

TEST(CsvTest, DoubledQuotesUnescapedAcrossBlocksLinesAndFields) {
  // Runs between doubled quotes longer than a 64-byte scan block, a line
  // break among them, a doubled quote last before the closing one, and two
  // such fields in one record.
  const std::string run(70, 'x');
  const std::string text = "\"" + run + "\"\"" + run + "\"\"\n\"\"y\"\"\"\"\",\"a\"\"b\"\n\"\"\"\",z\n";
  auto rows = All(text);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{run + "\"" + run + "\"\n\"y\"\"", "a\"b"}));
  EXPECT_EQ(rows[0].issue, CsvIssue::kNone);
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_EQ(rows[1].fields, (Fields{"\"", "z"}));
  // Unterminated after a doubled quote: the rest of the file, as it is.
  auto open = All("1,\"a\"\"b\nc");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].fields, (Fields{"1", "a\"\"b\nc"}));
  EXPECT_EQ(open[0].issue, CsvIssue::kUnterminatedQuote);
}

TEST(CsvTest, PlainLinesWithAndWithoutFinalNewline) {
  for (std::string text : {"a,b,c\n1,2,3\n", "a,b,c\n1,2,3"}) {
    auto rows = All(text);
    ASSERT_EQ(rows.size(), 2u) << text;
    EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
    EXPECT_EQ(rows[1].fields, (Fields{"1", "2", "3"}));
    EXPECT_EQ(rows[1].line, 2);
    EXPECT_EQ(rows[1].raw, "1,2,3");
  }
}

TEST(CsvTest, EmptyFieldsAndTrailingSeparator) {
  auto rows = All(",a,,\n,\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"", "a", "", ""}));
  EXPECT_EQ(rows[1].fields, (Fields{"", ""}));
  // A trailing separator at the very end of the file still makes an empty last field.
  auto last = All("x,");
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].fields, (Fields{"x", ""}));
}

TEST(CsvTest, QuotedFieldsWithSeparatorsDoubledQuotesAndNewlines) {
  std::string text =
      "id,notes\n"
      "1,\"Shelling on Saraqib, Idlib\"\n"
      "2,\"The ministry said \"\"33 soldiers\"\" died\"\n"
      "3,\"two\nlines, and \"\"quotes\"\"\"\n"
      "4,\"\"\n";
  auto rows = All(text);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[1].fields[1], "Shelling on Saraqib, Idlib");
  EXPECT_EQ(rows[2].fields[1], "The ministry said \"33 soldiers\" died");
  EXPECT_EQ(rows[3].fields[1], "two\nlines, and \"quotes\"");
  EXPECT_EQ(rows[3].line, 4);
  EXPECT_EQ(rows[3].raw, "3,\"two\nlines, and \"\"quotes\"\"\"");
  EXPECT_EQ(rows[4].line, 6);  // after the two-line record
  EXPECT_EQ(rows[4].fields, (Fields{"4", ""}));
  for (const auto& r : rows) EXPECT_EQ(r.issue, CsvIssue::kNone);
}

TEST(CsvTest, CrlfAndBom) {
  std::string text = "\xEF\xBB\xBF" "a,b\r\n1,\"x\r\ny\"\r\n2,3\r\n";
  auto rows = All(text);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b"}));  // the BOM is not part of the first name
  EXPECT_EQ(rows[1].fields, (Fields{"1", "x\r\ny"}));
  EXPECT_EQ(rows[1].raw, "1,\"x\r\ny\"");
  EXPECT_EQ(rows[2].fields, (Fields{"2", "3"}));
  EXPECT_EQ(rows[2].raw, "2,3");
  EXPECT_EQ(rows[2].line, 4);
  // A quoted field right before CRLF at the end of the file, without a final line end too.
  auto q = All("a,\"b\"\r\n");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].fields, (Fields{"a", "b"}));
  auto cr_end = All("a,b\r");
  ASSERT_EQ(cr_end.size(), 1u);
  EXPECT_EQ(cr_end[0].fields, (Fields{"a", "b"}));
}

TEST(CsvTest, LoneCarriageReturnIsText) {
  auto rows = All("a\rb,c\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].fields, (Fields{"a\rb", "c"}));
}

TEST(CsvTest, BlankLinesAreSkippedButCounted) {
  auto rows = All("a,b\n\n1,2\r\n\r\n\n3,4\n\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].line, 3);
  EXPECT_EQ(rows[2].line, 6);
}

TEST(CsvTest, StrayQuoteInUnquotedFieldIsLiteral) {
  auto rows = All("a,b\"c,d\n1,2,3\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b\"c", "d"}));
  EXPECT_EQ(rows[0].issue, CsvIssue::kNone);
}

TEST(CsvTest, UnterminatedQuoteIsReportedAtTheRecordStart) {
  auto rows = All("h1,h2\n1,2\n3,\"never\nclosed\n4,5\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].line, 3);
  EXPECT_EQ(rows[2].issue, CsvIssue::kUnterminatedQuote);
  EXPECT_EQ(rows[2].issue_field, 1);
}

TEST(CsvTest, TextAfterClosingQuote) {
  auto rows = All("\"abc\"def,x\n1,2\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].issue, CsvIssue::kTextAfterQuote);
  EXPECT_EQ(rows[0].issue_field, 0);
  EXPECT_EQ(rows[0].fields.size(), 2u);  // the record still ends where it should
  EXPECT_EQ(rows[1].fields, (Fields{"1", "2"}));
}

TEST(CsvTest, InvalidUtf8AndNulNameTheField) {
  static const char kText[] = "a,b,c\nok,\xC3\xA9t\xC3\xA9,\xFF\xFE\n1,x\0y,z\n";
  auto rows = All(std::string(kText, sizeof(kText) - 1));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].issue, CsvIssue::kNone);
  EXPECT_EQ(rows[1].issue, CsvIssue::kInvalidUtf8);
  EXPECT_EQ(rows[1].issue_field, 2);
  EXPECT_EQ(rows[1].fields[1], "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(rows[2].issue, CsvIssue::kNulByte);
  EXPECT_EQ(rows[2].issue_field, 1);
  CsvOptions off;
  off.validate_utf8 = false;
  EXPECT_EQ(All("\xFF\n", off)[0].issue, CsvIssue::kNone);
}

TEST(CsvTest, FindInvalidUtf8) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii text, long enough for the word loop"), 47u);
  EXPECT_EQ(FindInvalidUtf8("\xD8\xB3\xD8\xB1\xD8\xA7\xD9\x82\xD8\xA8"), 10u);  // Arabic (Saraqib)
  EXPECT_EQ(FindInvalidUtf8("\xF0\x9F\x98\x80"), 4u);                                // U+1F600
  EXPECT_EQ(FindInvalidUtf8("ab\xC0\xAF"), 2u);                                      // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("ab\xED\xA0\x80"), 2u);                                  // a surrogate
  EXPECT_EQ(FindInvalidUtf8("ab\xF4\x90\x80\x80"), 2u);                              // beyond U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\xE2\x82"), 10u);                             // cut short
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\x80"), 10u);                                 // lone continuation
}

TEST(CsvTest, TabSeparatedWithoutQuoting) {
  CsvOptions tsv;
  tsv.separator = '\t';
  tsv.quoting = false;
  auto rows = All("1\t\"quoted\" name\t\n2\tx,y\tz\n", tsv);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"1", "\"quoted\" name", ""}));
  EXPECT_EQ(rows[1].fields, (Fields{"2", "x,y", "z"}));
}

TEST(CsvTest, RangesSplitAtRecordStartsReadEveryRecordOnce) {
  std::string text = "a,b\n1,\"x\ny\"\n2,3\n4,5\n";
  std::size_t split = text.find("2,3");
  std::vector<std::string> got;
  CsvRecord rec;
  CsvTokenizer first(text, 4, split, 2);
  while (first.Next(&rec)) got.emplace_back(rec.raw);
  EXPECT_EQ(first.position(), split);
  EXPECT_EQ(first.line(), 4);
  CsvTokenizer second(text, split, text.size(), 4);
  while (second.Next(&rec)) got.emplace_back(rec.raw);
  EXPECT_EQ(got, (std::vector<std::string>{"1,\"x\ny\"", "2,3", "4,5"}));
  // A range whose end falls inside a record reads that record to its end.
  CsvTokenizer mid(text, 4, 6, 2);
  ASSERT_TRUE(mid.Next(&rec));
  EXPECT_EQ(rec.raw, "1,\"x\ny\"");
  EXPECT_FALSE(mid.Next(&rec));
  EXPECT_EQ(mid.position(), split);
}

TEST(CsvTest, NextRecordStartFollowsQuoteParity) {
  std::string text = "a,\"x\ny\"\nb,c\n";
  std::size_t nl = 0;
  // From inside the quoted field (one quote before offset 4): the first even line end is after "y\"".
  EXPECT_EQ(NextRecordStart(text, 4, 1, &nl), 8u);
  EXPECT_EQ(nl, 2u);
  EXPECT_EQ(NextRecordStart(text, 0, 0, &nl), 8u);
  EXPECT_EQ(NextRecordStart(text, 9, 2, &nl), text.size());
  std::size_t quotes = 0, newlines = 0;
  CountQuotesAndNewlines(text + std::string(40, 'z') + "\"\n", &quotes, &newlines);
  EXPECT_EQ(quotes, 3u);
  EXPECT_EQ(newlines, 4u);
}

// The spans a quote count finds are the tokenizer's records on well-formed input.
TEST(CsvTest, RecordSpansMatchTheTokenizer) {
  std::string text = "a,b\n\n1,\"x\ny, \"\"z\"\"\"\r\n\r\n2,3\r\n";
  for (int i = 0; i < 40; ++i) text += std::to_string(i) + ",\"" + std::string(static_cast<std::size_t>(i * 3), 'w') + "\n\"\n";
  text += "last,\"no line end\"";
  // Every range: the same records, including the one that starts before `end` and runs past it.
  for (std::size_t begin : {std::size_t{0}, text.find("2,3")}) {
    for (std::size_t end = begin; end <= text.size(); end += 7) {
      std::vector<std::pair<std::size_t, std::size_t>> spans, want;
      FindRecordSpans(text, begin, end, true, &spans);
      CsvTokenizer tok(text, begin, end, 1);
      CsvRecord rec;
      while (tok.Next(&rec)) want.emplace_back(rec.offset, rec.raw.size());
      EXPECT_EQ(spans, want) << begin << ".." << end;
    }
  }
  // Unterminated: one span to the end of the file.
  std::vector<std::pair<std::size_t, std::size_t>> some;
  FindRecordSpans("a,\"b\nc\n", 0, 8, true, &some);
  EXPECT_EQ(some, (std::vector<std::pair<std::size_t, std::size_t>>{{0, 7}}));
}

TEST(CsvTest, FieldViewsStayValidAcrossManyEscapedFields) {
  // Many escaped fields in one record: the scratch buffer grows while the record is read.
  std::string text;
  for (int i = 0; i < 200; ++i) {
    if (i > 0) text += ',';
    text += "\"a\"\"b";
    text += std::to_string(i);
    text += '"';
  }
  text += "\n";
  auto rows = All(text);
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].fields.size(), 200u);
  EXPECT_EQ(rows[0].fields[0], "a\"b0");
  EXPECT_EQ(rows[0].fields[199], "a\"b199");
}

}  // namespace
}  // namespace truce::ingest
