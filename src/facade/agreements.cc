// Core: opening the store, and agreements: checked, stored in one
// transaction with their references checked, listed, read back (validated
// again), and kept loaded in the shared caches for the API's views.
#include <algorithm>
#include <set>

#include "core.h"

namespace truce::facade {

Result<std::unique_ptr<Core>> Core::Open(const std::string& db, FileSystem& fs, Clock& clock,
                                          const store::OpenOptions& options) {
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> s, store::OpenStore(db, options));
  return std::unique_ptr<Core>(new Core(std::move(s), fs, clock));
}

std::unique_ptr<Core> Core::WithoutStore(FileSystem& fs, Clock& clock) {
  return std::unique_ptr<Core>(new Core(nullptr, fs, clock));
}

Status Core::Init() { return store_->Migrate(); }

Result<agreement::LoadedAgreement> Core::CheckAgreement(const std::string& path) {
  return agreement::LoadAgreementFile(path, fs_);
}

Result<agreement::LoadedAgreement> Core::FromStored(const store::StoredAgreement& s) {
  // Re-read from exactly the stored files, so that it is validated again.
  auto loaded = agreement::ReloadAgreement(s.files);
  if (!loaded.ok()) return loaded.status().WithContext("stored agreement " + s.id);
  return loaded;
}

Result<std::vector<agreement::LoadedAgreement>> Core::LoadAgreements() {
  TRUCE_ASSIGN_OR_RETURN(auto stored, store_->ListAgreements());
  std::vector<agreement::LoadedAgreement> out;
  for (const auto& s : stored) {
    TRUCE_ASSIGN_OR_RETURN(auto la, FromStored(s));
    out.push_back(std::move(la));
  }
  // Extension documents lengthen the agreements they extend (their periods, end).
  std::vector<model::Agreement*> all;
  for (auto& la : out) all.push_back(&la.agreement);
  TRUCE_RETURN_IF_ERROR(agreement::ResolveExtensions(all));
  return out;
}

Result<std::shared_ptr<const LoadedAgreements>> Core::Agreements(std::optional<std::int64_t> generation) {
  if (!generation) {
    TRUCE_ASSIGN_OR_RETURN(generation, store_->Generation());
  }
  return caches_->Agreements(*generation, [this] { return LoadAgreements(); });
}

Result<std::vector<std::string>> Core::AddAgreements(const std::vector<std::string>& paths) {
  std::vector<agreement::LoadedAgreement> fresh;
  for (const std::string& p : paths) {
    TRUCE_ASSIGN_OR_RETURN(auto la, agreement::LoadAgreementFile(p, fs_));
    for (const auto& other : fresh) {
      if (other.agreement.id == la.agreement.id) {
        return Status::AlreadyExists(p + ": agreement id '" + la.agreement.id + "' is also used by " +
                                     other.agreement.source_file);
      }
    }
    fresh.push_back(std::move(la));
  }
  return StoreAgreements(std::move(fresh));
}

Result<std::string> Core::AddAgreementFiles(const std::vector<std::pair<std::string, std::string>>& files) {
  if (files.empty()) return Status::InvalidArgument("no agreement file given");
  // Only the files given: references to anything else fail as missing files.
  MemFileSystem given;
  for (const auto& [path, contents] : files) given.Put(path, contents);
  TRUCE_ASSIGN_OR_RETURN(auto la, agreement::LoadAgreementFile(files.front().first, given));
  std::vector<agreement::LoadedAgreement> fresh;
  fresh.push_back(std::move(la));
  TRUCE_ASSIGN_OR_RETURN(auto ids, StoreAgreements(std::move(fresh)));
  return ids.front();
}

Result<std::vector<std::string>> Core::StoreAgreements(std::vector<agreement::LoadedAgreement> fresh) {
  // References are checked against the stored agreements that stay and the new ones.
  TRUCE_ASSIGN_OR_RETURN(auto stored, LoadAgreements());
  std::vector<const model::Agreement*> all;
  for (const auto& la : fresh) all.push_back(&la.agreement);
  for (const auto& la : stored) {
    bool replaced = std::any_of(fresh.begin(), fresh.end(),
                                [&](const auto& f) { return f.agreement.id == la.agreement.id; });
    if (!replaced) all.push_back(&la.agreement);
  }
  TRUCE_RETURN_IF_ERROR(agreement::CheckReferences(all));

  // The agreements whose findings may change: those stored now and every
  // agreement linked to them (amends, supersedes, extends, a provision's
  // replaces), before or after, and so on: one ends, cuts or lengthens the
  // other's provisions.
  std::set<std::string> changed;
  for (const auto& la : fresh) changed.insert(la.agreement.id);
  std::vector<std::pair<std::string, std::string>> links;
  auto link = [&](const model::Agreement& a) {
    for (const std::string* to : {&a.amends, &a.supersedes, &a.extends}) {
      if (!to->empty()) links.emplace_back(a.id, *to);
    }
    for (const model::Provision& p : a.provisions) {
      if (!p.replaces.empty()) links.emplace_back(a.id, p.replaces.substr(0, p.replaces.find('#')));
    }
  };
  for (const auto& la : fresh) link(la.agreement);
  for (const auto& la : stored) link(la.agreement);
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [a, b] : links) {
      if (changed.count(a) != changed.count(b)) {
        changed.insert({a, b});
        grew = true;
      }
    }
  }

  const std::string now = time::FormatInstantUtc(clock_.Now());
  TRUCE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(*store_));
  TRUCE_ASSIGN_OR_RETURN(store::FindingsState start, store_->GetFindingsState());
  std::vector<std::string> ids;
  for (const auto& la : fresh) {
    store::StoredAgreement s;
    s.id = la.agreement.id;
    s.title = la.agreement.title;
    s.source_file = la.agreement.source_file;
    s.content_hash = la.agreement.content_hash;
    s.files = la.files;
    s.added_at = now;
    TRUCE_RETURN_IF_ERROR(store_->PutAgreement(s));
    ids.push_back(s.id);
  }
  // New or replaced agreements change what the stored incidents are ruled against.
  TRUCE_RETURN_IF_ERROR(store_->MarkFindingsStale());
  TRUCE_ASSIGN_OR_RETURN(std::optional<PendingChanges> pending, Pending(start, {}, changed));
  TRUCE_RETURN_IF_ERROR(tx.Commit());
  pending_ = std::move(pending);
  return ids;
}

Result<std::vector<AgreementSummary>> Core::ListAgreements() {
  TRUCE_ASSIGN_OR_RETURN(std::shared_ptr<const LoadedAgreements> all, Agreements());
  std::vector<AgreementSummary> out;
  for (const auto& la : *all) {
    const model::Agreement& a = la.agreement;
    out.push_back({a.id, a.title, a.source_file, time::FormatLocal(a.entry_into_force, a.timezone), a.amends,
                   a.supersedes, a.provisions.size(), a.zones.size()});
  }
  return out;
}

Result<agreement::LoadedAgreement> Core::GetAgreement(const std::string& id) {
  TRUCE_ASSIGN_OR_RETURN(auto s, store_->GetAgreement(id));
  if (!s) return Status::NotFound("no agreement '" + id + "' in the database");
  TRUCE_ASSIGN_OR_RETURN(auto la, FromStored(*s));
  // Its periods include those of extension documents, which only the set shows.
  TRUCE_ASSIGN_OR_RETURN(std::shared_ptr<const LoadedAgreements> all, Agreements());
  for (const auto& other : *all) {
    if (other.agreement.id == id) {
      la.agreement.periods = other.agreement.periods;
      la.agreement.end = other.agreement.end;
      la.agreement.entry_into_force = other.agreement.entry_into_force;
      la.agreement.entry_into_force_text = other.agreement.entry_into_force_text;
    }
  }
  return la;
}

}  // namespace truce::facade

namespace truce {

Result<std::shared_ptr<const LoadedAgreements>> EngineCaches::Agreements(
    std::int64_t generation, const std::function<Result<LoadedAgreements>()>& load) {
  std::lock_guard<std::mutex> lock(mu_);
  // As new as asked or newer (another engine loaded them since): as good.
  if (agreements_ && agreements_generation_ >= generation) return agreements_;
  TRUCE_ASSIGN_OR_RETURN(LoadedAgreements loaded, load());
  agreements_ = std::make_shared<const LoadedAgreements>(std::move(loaded));
  agreements_generation_ = generation;
  return agreements_;
}

std::shared_ptr<EngineCaches> MakeEngineCaches() { return std::make_shared<EngineCaches>(); }

}  // namespace truce
