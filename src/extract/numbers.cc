#include "numbers.h"

#include <cmath>
#include <cstdlib>

namespace truce::extract {
namespace {

// The words as string_views: a comparison looks at the lengths first (with
// const char* every one measured the literal: 10 % of extract_bench's CPU).
struct Word {
  std::string_view w;
  double v;
};
constexpr Word kUnits[] = {{"zero", 0},     {"one", 1},        {"two", 2},        {"three", 3},     {"four", 4},
                           {"five", 5},     {"six", 6},        {"seven", 7},      {"eight", 8},     {"nine", 9},
                           {"ten", 10},     {"eleven", 11},    {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14},
                           {"fifteen", 15}, {"sixteen", 16},   {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},
                           {"twenty", 20},  {"thirty", 30},    {"forty", 40},     {"fifty", 50},    {"sixty", 60},
                           {"seventy", 70}, {"eighty", 80},    {"ninety", 90},    {"hundred", 100}, {"thousand", 1e3},
                           {"million", 1e6}, {"billion", 1e9}, {"dozen", 12}};
constexpr Word kOrdinals[] = {
    {"first", 1},        {"second", 2},       {"third", 3},        {"fourth", 4},       {"fifth", 5},
    {"sixth", 6},        {"seventh", 7},      {"eighth", 8},       {"ninth", 9},        {"tenth", 10},
    {"eleventh", 11},    {"twelfth", 12},     {"thirteenth", 13},  {"fourteenth", 14},  {"fifteenth", 15},
    {"sixteenth", 16},   {"seventeenth", 17}, {"eighteenth", 18},  {"nineteenth", 19},  {"twentieth", 20},
    {"thirtieth", 30}};

struct QualPhrase {
  std::string_view words[4];  // empty after the last
  Qualifier q;
};
constexpr QualPhrase kQualifiers[] = {
    {{"no", "fewer", "than", {}}, Qualifier::kAtLeast},
    {{"no", "less", "than", {}}, Qualifier::kAtLeast},
    {{"more", "than", {}, {}}, Qualifier::kMoreThan},
    {{"well", "over", {}, {}}, Qualifier::kMoreThan},
    {{"upwards", "of", {}, {}}, Qualifier::kMoreThan},
    {{"over", {}, {}, {}}, Qualifier::kMoreThan},
    {{"at", "least", {}, {}}, Qualifier::kAtLeast},
    {{"a", "minimum", "of", {}}, Qualifier::kAtLeast},
    {{"nearly", {}, {}, {}}, Qualifier::kAbout},
    {{"almost", {}, {}, {}}, Qualifier::kAbout},
    {{"around", {}, {}, {}}, Qualifier::kAbout},
    {{"about", {}, {}, {}}, Qualifier::kAbout},
    {{"some", {}, {}, {}}, Qualifier::kAbout},
    {{"close", "to", {}, {}}, Qualifier::kAbout},
    {{"roughly", {}, {}, {}}, Qualifier::kAbout},
    {{"approximately", {}, {}, {}}, Qualifier::kAbout},
    {{"an", "estimated", {}, {}}, Qualifier::kAbout},
    {{"estimated", {}, {}, {}}, Qualifier::kAbout},
    {{"up", "to", {}, {}}, Qualifier::kUpTo},
    {{"as", "many", "as", {}}, Qualifier::kUpTo},
    {{"at", "most", {}, {}}, Qualifier::kUpTo},
    {{"fewer", "than", {}, {}}, Qualifier::kUpTo},
    {{"less", "than", {}, {}}, Qualifier::kUpTo},
};

bool IsWordTok(const std::vector<Token>& t, size_t i, std::string_view w) {
  return i < t.size() && t[i].norm == w;
}

// Digits with thousands commas or a decimal point: "3,200", "1.5". Not "7:00".
std::optional<double> ParseDigits(std::string_view s) {
  if (s.empty() || s.size() > 18 || s.find(':') != std::string_view::npos) return std::nullopt;
  std::string clean;
  int dots = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ',') {
      // Thousands separators come before groups of three digits.
      size_t j = i + 1;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
      if (j - i - 1 != 3) return std::nullopt;
      continue;
    }
    if (c == '.') {
      if (++dots > 1) return std::nullopt;
    } else if (c < '0' || c > '9') {
      return std::nullopt;
    }
    clean.push_back(c);
  }
  if (clean.empty() || clean == ".") return std::nullopt;
  return std::strtod(clean.c_str(), {});
}

double Scale(std::string_view w) {
  if (w == "thousand") return 1e3;
  if (w == "million" || w == "mln") return 1e6;
  if (w == "billion" || w == "bn") return 1e9;
  if (w == "hundred") return 100;
  return 0;
}

}  // namespace

const char* QualifierName(Qualifier q) {
  switch (q) {
    case Qualifier::kExact: return "exact";
    case Qualifier::kMoreThan: return "more_than";
    case Qualifier::kAtLeast: return "at_least";
    case Qualifier::kAbout: return "about";
    case Qualifier::kUpTo: return "up_to";
  }
  return "exact";
}

double NumberWordValue(std::string_view w) {
  for (const Word& u : kUnits) {
    if (w == u.w) return u.v;
  }
  return -1;
}

int OrdinalWordValue(std::string_view w) {
  for (const Word& o : kOrdinals) {
    if (w == o.w) return static_cast<int>(o.v);
  }
  return 0;
}

std::optional<Quantity> ParseQuantityAt(const std::vector<Token>& t, size_t i) {
  if (i >= t.size()) return std::nullopt;
  Quantity q;
  q.first = i;
  size_t k = i;
  for (const QualPhrase& p : kQualifiers) {
    size_t m = 0;
    while (m < 4 && !p.words[m].empty() && IsWordTok(t, k + m, p.words[m])) ++m;
    if (m > 0 && (m == 4 || p.words[m].empty())) {
      q.qualifier = p.q;
      k += m;
      break;
    }
  }
  if (k >= t.size()) return std::nullopt;
  q.number_first = k;
  const Token& tok = t[k];
  // Vague amounts: "hundreds", "thousands of", "hundreds of thousands", "tens of thousands".
  auto vague_word = [](std::string_view w) {
    return w == "hundreds" || w == "thousands" || w == "millions" || w == "dozens" || w == "scores" || w == "tens";
  };
  if (vague_word(tok.norm)) {
    q.vague = tok.norm;
    size_t e = k + 1;
    if (IsWordTok(t, e, "of") && e + 1 < t.size() && vague_word(t[e + 1].norm)) {
      q.vague += " of " + t[e + 1].norm;
      e += 2;
    }
    if (tok.norm == "tens" && q.vague == "tens") return std::nullopt;
    q.last = e;
    return q;
  }
  double value = -1;
  size_t e = k;
  if (tok.Has(kNumber)) {
    auto v = ParseDigits(tok.norm);
    if (!v) return std::nullopt;
    value = *v;
    e = k + 1;
    if (e < t.size() && !t[e].Has(kHyphenBefore)) {
      double s = Scale(t[e].norm);
      if (s >= 1e3) {
        value *= s;
        ++e;
      }
    }
  } else if ((tok.norm == "a" || tok.norm == "an") && k + 1 < t.size() &&
             (Scale(t[k + 1].norm) > 0 || t[k + 1].norm == "dozen")) {
    value = t[k + 1].norm == "dozen" ? 12 : Scale(t[k + 1].norm);
    e = k + 2;
    if (e < t.size() && Scale(t[e].norm) >= 1e3 && value < 1e3) {
      value *= Scale(t[e].norm);
      ++e;
    }
  } else {
    double first = NumberWordValue(tok.norm);
    if (first < 0 || tok.norm == "hundred" || tok.norm == "thousand" || tok.norm == "million" ||
        tok.norm == "billion" || tok.norm == "dozen") {
      return std::nullopt;
    }
    if (tok.norm == "one" && IsWordTok(t, k + 1, "of")) return std::nullopt;  // "one of the ..."
    if (tok.norm == "one" && k > 0 && IsWordTok(t, k - 1, "no")) return std::nullopt;  // "no one was hurt"
    double total = 0, current = first;
    e = k + 1;
    while (e < t.size()) {
      const std::string& w = t[e].norm;
      double v = NumberWordValue(w);
      if (w == "and" && e + 1 < t.size() && NumberWordValue(t[e + 1].norm) > 0 &&
          NumberWordValue(t[e + 1].norm) < 100 && current >= 100 && std::fmod(current, 100) == 0) {
        ++e;
        continue;
      }
      if (v < 0 || w == "dozen") break;
      if (v == 100) {
        current = (current == 0 ? 1 : current) * 100;
      } else if (v >= 1000) {
        total += (current == 0 ? 1 : current) * v;
        current = 0;
      } else if (v < 10 && std::fmod(current, 10) == 0 && current >= 20 && current < 100) {
        current += v;  // "fifty-eight", "twenty one"
      } else if (v < 100 && std::fmod(current, 100) == 0 && current >= 100) {
        current += v;  // "two hundred fifty"
      } else {
        break;
      }
      ++e;
    }
    value = total + current;
  }
  if (value < 0) return std::nullopt;
  q.value = value;
  q.last = e;
  return q;
}

std::vector<Quantity> FindQuantities(const std::vector<Token>& t) {
  std::vector<Quantity> out;
  for (size_t i = 0; i < t.size();) {
    auto q = ParseQuantityAt(t, i);
    if (q && q->last > i) {
      i = q->last;
      out.push_back(std::move(*q));
    } else {
      ++i;
    }
  }
  return out;
}

std::optional<Quantity> ParseQuantityText(std::string_view text) {
  std::vector<Token> toks = Tokenize(text, {0, text.size()});
  for (size_t i = 0; i < toks.size(); ++i) {
    auto q = ParseQuantityAt(toks, i);
    if (q) return q;
  }
  return std::nullopt;
}

}  // namespace truce::extract
