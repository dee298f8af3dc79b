// Text stored before the doors checked it (an old database), written here
// straight through the store API, then read back through every export of the
// real `truce` binary: each must exit 0 with valid UTF-8 (JSON that parses),
// no raw control character, and rows that the stored newlines cannot forge.
// Before the UTF-8 hardening, `truce report --format json` aborted (exit 134).
#include <stdlib.h>
#include <sys/wait.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "truce/core/env.h"
#include "truce/core/strings.h"
#include "truce/core/utf8.h"
#include "truce/store/store.h"

namespace truce {
namespace {

// What an old loader accepted: bytes FF FE, a lone continuation byte, a cut
// sequence, raw ESC and NUL-free escapes ("\e", "\n", "\a") in names.
const char* kYaml =
    "id: hostile\n"
    "title: \"Title \xFF\xFE, lone \x80, ESC \\e[31m red, line\\nbreak\"\n"
    "timezone: Asia/Damascus\n"
    "entry_into_force: 2020-03-06T00:01\n"
    "actors:\n"
    "  army: {name: \"Army \xC3 \\e]0;pwned\\a\", aliases: [Military Forces of Syria]}\n"
    "  rebels: {name: \"Rebels\\nforged row\"}\n"
    "sides:\n"
    "  government: {guarantor: RUS, actors: [army]}\n"
    "  opposition: {guarantor: TUR, actors: [rebels]}\n"
    "places:\n"
    "  a: {name: \"Sar\xFF" "aqib\\n| forged | cell |\", lat: 35.86, lon: 36.70}\n"
    "  b: {lat: 35.82, lon: 36.95}\n"
    "zones:\n"
    "  area: {name: \"Idlib \xFE zone \x1b[2J\", polygon: [[35.5, 36.0], [35.5, 37.0], [36.1, 37.0], [36.1, 36.0]]}\n"
    "  road: {corridor: {line: [[35.86, 36.70], [35.82, 36.95]], half_width_km: 6}}\n"
    "provisions:\n"
    "  - id: art1\n"
    "    article: \"Art. 1 \xFF\x1b[0m\"\n"
    "    prohibits: [Explosions/Remote violence]\n"
    "    where: area\n"
    "  - id: art2\n"
    "    obligation: joint_patrol\n"
    "    by: [RUS, TUR]\n"
    "    along: road\n"
    "    between: [a, b]\n"
    "    from: 2020-03-06\n"
    "    evidence: {acts: [Strategic developments], notes_contain: [patrol]}\n";

const char* kHostileName = "ops\n2\tadmin\t2020-01-01T00:00:00Z\tactive\troot \x1b[8m\xFF\xFE";

struct Ran {
  int exit = -1;
  std::string out, err;
};

class HostileStore : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/truce-hostile-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    db_ = dir_ + "/old.db";
    auto opened = store::OpenSqlite(db_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    ASSERT_TRUE(store_->Migrate().ok());
  }
  void TearDown() override {
    store_.reset();
    if (std::getenv("TRUCE_HOSTILE_KEEP") == nullptr) std::filesystem::remove_all(dir_);  // set: look at it by hand
  }

  // Runs the binary on the database; stderr goes to a file.
  Ran Truce(const std::string& args) {
    const std::string err_path = dir_ + "/stderr";
    const std::string cmd = std::string("'") + TRUCE_BIN + "' --db '" + db_ + "' " + args + " 2>'" + err_path + "'";
    Ran r;
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return r;
    char buf[65536];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
    const int status = pclose(p);
    r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::ifstream err(err_path, std::ios::binary);
    std::stringstream ss;
    ss << err.rdbuf();
    r.err = ss.str();
    return r;
  }

  void Seed() {
    store::StoredAgreement a;
    a.id = "hostile";
    a.title = "Title \xFF\xFE";
    a.source_file = "agreements/hostile\xFF.yaml";
    a.content_hash = Sha256Hex(kYaml);
    a.files = {{"agreements/hostile\xFF.yaml", kYaml}};
    a.added_at = "2024-01-01T00:00:00Z";
    ASSERT_TRUE(store_->PutAgreement(a).ok());

    ASSERT_TRUE(store_->Begin().ok());
    for (int i = 0; i < 2; ++i) {
      model::SourceRecord rep;
      rep.dataset = "acled";
      rep.source_file = "in\xFF\n.csv";
      rep.file_hash = Sha256Hex("in");
      rep.row = 2 + i;
      rep.raw = "SYR" + std::to_string(i) + ",\xFF\xFE,\x1b[31m\n";
      rep.content_hash = Sha256Hex("acled" + rep.raw);
      auto rid = store_->InsertSourceRecord(rep);
      ASSERT_TRUE(rid.ok() && rid->has_value()) << rid.status().ToString();
      model::Report in;
      in.record_id = **rid;
      in.dataset = "acled";
      in.source_id = "SYR\xFF" + std::to_string(i);
      in.time.first_day = in.time.last_day = *time::ParseIsoDate(i == 0 ? "2020-03-07" : "2020-03-06");
      in.event_type = "Explosions/Remote violence";
      in.sub_event_type = "Shelling/artillery/missile attack\x80";
      in.actor1 = "Military Forces of Syria";
      in.actor2 = "Civilians \xC3\x28";
      in.admin1 = "Idlib\x1b[31m";
      in.location = "Kafr \xFF\xFE\nviolation  forged";
      in.point = {35.7, 36.6};
      in.uncertainty_m = 100;
      in.source = "src\x1b";
      in.notes = "patrol \xFF";
      auto iid = store_->InsertReport(in);
      ASSERT_TRUE(iid.ok()) << iid.status().ToString();
    }
    ASSERT_TRUE(store_->Commit().ok());

    store::TokenRecord t;
    t.name = kHostileName;
    t.role = "viewer";
    t.token_hash = Sha256Hex("truce_x");
    t.created_at = "2024-01-01T00:00:00Z";
    ASSERT_TRUE(store_->InsertToken(t).ok());
  }

  // Every export, each checked the same way.
  void ExpectEveryExportIsClean(const std::string& phase) {
    const std::vector<std::string> commands = {
        "report --agreement hostile --day 2020-03-07 --format json",
        "report --agreement hostile --day 2020-03-07 --format markdown",
        "report --agreement hostile --day 2020-03-07 --format html",
        "findings --format table",
        "findings --format json",
        "findings --format csv",
        "findings --format geojson",
        "agreement list",
        "agreement show hostile",
        "token list",
    };
    for (const std::string& c : commands) {
      SCOPED_TRACE(phase + ": truce " + c);
      Ran r = Truce(c);
      ++tried_;
      EXPECT_EQ(r.exit, 0) << r.err;
      EXPECT_EQ(r.err, "");
      EXPECT_FALSE(r.out.empty());
      EXPECT_EQ(FindInvalidUtf8(r.out), std::nullopt);
      EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
      EXPECT_EQ(r.out.find('\x07'), std::string::npos);
      if (c.find("json") != std::string::npos) {
        EXPECT_TRUE(nlohmann::json::accept(r.out)) << r.out;
      }
      if (c == "token list") {
        // One row for the one token: its newline and tabs are shown, not obeyed.
        EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
        EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\t'), 4) << r.out;
        EXPECT_NE(r.out.find("ops\\n2\\tadmin"), std::string::npos) << r.out;
      }
      if (c == "agreement list") {
        EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
      }
      if (::testing::Test::HasFailure()) continue;
      ++clean_;
    }
  }

  std::string dir_, db_;
  std::unique_ptr<store::Store> store_;
  int tried_ = 0, clean_ = 0;
};

TEST_F(HostileStore, EveryExportReadsBackValidText) {
  Seed();
  // Ruling reads the stored agreement (repaired) and the incidents.
  Ran rule = Truce("rule");
  ASSERT_EQ(rule.exit, 0) << rule.err;
  ExpectEveryExportIsClean("ruled");

  // Findings and obligation statuses as an old database may hold them.
  model::Finding f;
  f.incident_id = 1;
  f.agreement_id = "hostile";
  f.provision_id = "art1";
  f.status = model::FindingStatus::kViolation;
  f.side = "government\xFF\n";
  f.guarantor = "R\x1b[1m";
  f.zone_id = "area\x80";
  f.reason = "direct \xFF\xFE\n\x1b[31mreason\x07";
  model::ObligationStatus o;
  o.agreement_id = "hostile";
  o.provision_id = "art2";
  o.as_of = *time::ParseIsoDate("2020-03-07");
  o.reason = "unmet \xFF\x1b[0m\n";
  store::FindingRow row;  // with incident 1's estimate, as the findings of an old database were read
  row.finding = f;
  auto in = store_->GetReport(1);
  ASSERT_TRUE(in.ok() && in->has_value());
  row.date = (*in)->time.first_day;
  row.last_date = (*in)->time.last_day;
  row.point = (*in)->point;
  row.location = (*in)->location;
  row.admin1 = (*in)->admin1;
  row.event_type = (*in)->event_type;
  row.actor1 = (*in)->actor1;
  row.actor2 = (*in)->actor2;
  row.dataset = (*in)->dataset;
  row.source_id = (*in)->source_id;
  ASSERT_TRUE(store_->ReplaceFindings({row}, {o}).ok());
  ExpectEveryExportIsClean("stored findings");
  std::printf("hostile stored bytes: %d exports tried, %d clean\n", tried_, clean_);
  EXPECT_EQ(clean_, tried_);
}

// The CLI's doors: an argument that is not one line of printable UTF-8 is a
// usage error (exit 2) naming the argument, and nothing is stored. Arguments
// are made by the shell's printf, as a script would pass them.
TEST_F(HostileStore, DoorsRefuseBadArgumentsAndFiles) {
  ASSERT_EQ(std::system(("printf 'id: x\\ntitle: \"T \\377\\376\"\\n' > '" + dir_ + "/ff.yaml'").c_str()), 0);
  struct Case {
    std::string args;
    int exit;
    std::string stderr_has;
  };
  const std::vector<Case> cases = {
      {"token create --role viewer --name \"$(printf 'ops\\nadmin')\"", 2,
       "--name: control character U+000A at byte 4"},
      {"token create --role viewer --name \"$(printf 'a\\tb')\"", 2, "--name: control character U+0009"},
      {"token create --role viewer --name \"$(printf 'x\\033[2J')\"", 2, "--name: control character U+001B"},
      {"token create --role viewer --name \"$(printf 'csi \\302\\233')\"", 2, "--name: control character U+009B"},
      {"token create --role viewer --name \"$(printf 'ab\\377\\376')\"", 2,
       "--name: invalid UTF-8 (byte 0xFF at byte 3)"},
      {"token create --role viewer --name \"$(printf 'lone \\200')\"", 2, "--name: invalid UTF-8 (byte 0x80"},
      {"token create --role viewer --name \"$(printf '%0300d' 0)\"", 2, "--name: longer than 256 bytes"},
      {"token create --role \"$(printf 'admin\\377')\"", 2, "--role: invalid UTF-8"},
      {"agreement show \"$(printf 'x\\377')\"", 2, "id: invalid UTF-8"},
      {"agreement check \"$(printf 'bad\\377.yaml')\"", 2, "files: invalid UTF-8"},
      {"agreement add \"$(printf 'bad\\033.yaml')\"", 2, "files: control character U+001B"},
      {"agreement add '" + dir_ + "/ff.yaml'", 3, "ff.yaml:2:11: invalid UTF-8 (byte 0xFF)"},
      {"report --agreement \"$(printf '\\377')\" --day 2020-03-07", 2, "--agreement: invalid UTF-8"},
      {"report --agreement x --day \"$(printf '2020-03-07\\nX')\"", 2, "--day: control character U+000A"},
      {"findings --side \"$(printf '\\033[31m')\"", 2, "--side: control character U+001B"},
      {"findings --zone \"$(printf 'z\\376')\"", 2, "--zone: invalid UTF-8"},
      {"findings --agreement \"$(printf 'a\\200')\"", 2, "--agreement: invalid UTF-8"},
      {"findings --status \"$(printf 'violation\\r')\"", 2, "--status: control character U+000D"},
      {"findings --from \"$(printf '\\3772020-01-01')\"", 2, "--from: invalid UTF-8"},
      {"extract --published 2020-03-07 \"$(printf 'r\\377.txt')\"", 2, "file: invalid UTF-8"},
      {"demo --no-serve --example \"$(printf 'ex\\377')\"", 2, "--example: invalid UTF-8"},
  };
  int handled = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE("truce " + c.args);
    Ran r = Truce(c.args);
    EXPECT_EQ(r.exit, c.exit) << r.err;
    EXPECT_NE(r.err.find(c.stderr_has), std::string::npos) << r.err;
    EXPECT_EQ(FindInvalidUtf8(r.err), std::nullopt) << r.err;  // messages name the byte, never echo it
    if (r.exit == c.exit && r.err.find(c.stderr_has) != std::string::npos && !FindInvalidUtf8(r.err)) ++handled;
  }
  // Nothing was stored.
  EXPECT_EQ(Truce("token list").out, "no tokens\n");
  EXPECT_EQ(Truce("agreement list").out, "no agreements\n");
  std::printf("bad CLI arguments: %zu tried, %d handled\n", cases.size(), handled);
}

}  // namespace
}  // namespace truce
