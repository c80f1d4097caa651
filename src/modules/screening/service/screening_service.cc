// ScreeningService: data sources and uploads (matching: screening_batches.cc; findings, tasks and outcomes: screening_tasks.cc; the worker: screening_worker.cc).
#include "modules/screening/service/screening_service.h"

#include "modules/screening/repo/screening_jurisdiction_repo.h"
#include "modules/screening/service/screening_internal.h"
#include "platform/service/sheet_import.h"

namespace th::service {

using namespace screening_internal;  // NOLINT: this file is part of the screening service

const std::vector<ImportField>& ScreeningFields() { return kFields; }

ImportMapping SuggestScreeningMapping(const std::vector<std::string>& columns) {
  return SuggestMapping(kFields, columns);
}

namespace {

// The open verification tasks of moved children follow their community: their work items pass
// to the new community's 儿童主任, keeping their deadlines.
Status ReassignTaskWork(Deps* deps, storage::Connection& c, std::int64_t child_id, bool grid = false) {
  if (!deps->work) return Status::Ok();
  TH_ASSIGN_OR_RETURN(auto tasks, repo::ScreeningJurisdictionRepo(c).OpenTasksOf(child_id, grid));
  for (const auto& t : tasks) {
    if (t.community_id > 0) {
      TH_RETURN_IF_ERROR(deps->work->Reassign(c, "verification_task", t.id, "screening_verify", t.community_id));
    }
  }
  return Status::Ok();
}

}  // namespace

ScreeningService::ScreeningService(Deps& deps, ChildService& children, ScreeningRules rules)
    : deps_(deps), children_(children), rules_(std::move(rules)) {
  // Screening's copies of a jurisdiction move with units and children (deps.h JurisdictionHooks).
  Deps* d = &deps;
  deps.jurisdiction.unit_moved["screening"] = [d](storage::Connection& c, const repo::OrgUnit& before,
                                                  const std::string& new_path) -> Status {
    TH_RETURN_IF_ERROR(repo::ScreeningJurisdictionRepo(c).AfterUnitMove(before, new_path));
    return before.level == "grid" ? ReassignTaskWork(d, c, before.id, true) : Status::Ok();
  };
  deps.jurisdiction.child_moved["screening"] = [d](storage::Connection& c, std::int64_t child_id) -> Status {
    TH_RETURN_IF_ERROR(repo::ScreeningJurisdictionRepo(c).AfterChildMove(child_id));
    return ReassignTaskWork(d, c, child_id);
  };
}

std::int32_t ScreeningService::Today() const {
  return domain::Date::FromEpochMillisShanghai(deps_.clock.NowMillis()).ToYyyymmdd();
}

Result<repo::DataSourceRecord> ScreeningService::CreateSource(const Principal& who, const DataSourceInput& in) {
  if (!who.Can(perm::kScreeningManage)) return Status::Forbidden();
  std::size_t len = text::DecodeUtf8(in.name).size();
  if (len == 0) return Status::Invalid("name", "required", "请填写数据源名称", "A name is required");
  TH_RETURN_IF_ERROR(text::CheckText(in.name, "name", text::kUnitName));
  for (const auto& [k, v] : in.mapping) {
    bool known = std::any_of(kFields.begin(), kFields.end(), [&](const ImportField& f) { return k == f.key; });
    if (!known) {
      return Status::Invalid("mapping", "invalid_mapping", "列映射中的字段未知: " + k, "Unknown field in mapping: " + k);
    }
    TH_RETURN_IF_ERROR(text::CheckText(v, "mapping." + k, text::kLineText));
  }
  repo::DataSourceRecord s;
  s.org_unit_id = who.org_unit_id;
  s.unit_path = who.org_path;
  s.name = in.name;
  s.dept_type = in.dept_type;
  s.mapping_json = MappingToJson(in.mapping);
  s.created_by = who.user_id;
  s.created_at = deps_.clock.NowMillis();
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    TH_RETURN_IF_ERROR(repo::ScreeningRepo(c).InsertSource(s));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"screening.source_create", "data_source", std::to_string(s.id), who.org_path, "",
                       JsonObjectWriter().Str("name", s.name).Str("dept_type", s.dept_type).Finish(), ""});
  }));
  return s;
}

Result<std::vector<repo::DataSourceRecord>> ScreeningService::ListSources(const Principal& who) {
  if (!who.Can(perm::kScreeningManage) && !who.Can(perm::kScreeningVerify)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return repo::ScreeningRepo(*h).ListSources(who.org_path);
}

// Long: parse the upload (CSV/XLSX, mapping, caps), seal identifiers and store the batch in one transaction.
Result<BatchView> ScreeningService::Upload(const Principal& who, std::string_view bytes, const BatchUploadOptions& o) {
  if (!who.Can(perm::kScreeningManage)) return Status::Forbidden();
  const std::int64_t now = deps_.clock.NowMillis();
  const std::int32_t today = Today();

  repo::DataSourceRecord source;
  std::vector<repo::OrgUnit> units;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    auto s = repo::ScreeningRepo(*h).GetSource(o.source_id);
    // A source is usable from its own unit's subtree (a district's source serves its streets).
    if (!s.ok() || !(Visible(who, s->unit_path) || who.org_path.rfind(s->unit_path, 0) == 0)) {
      return Status::Error(Code::kNotFound, "not_found", "数据源不存在或不在您的管辖范围内",
                           "No such data source in your jurisdiction", "source_id");
    }
    source = *s;
    TH_ASSIGN_OR_RETURN(units, repo::OrgRepo(*h).ListSubtree(who.org_path));
  }

  io::XlsxOptions xo = io::UploadXlsxOptions();
  xo.sheet = o.sheet;
  xo.max_rows = o.max_rows + 1;
  TH_ASSIGN_OR_RETURN(auto t, io::ParseSpreadsheet(bytes, io::UploadCsvOptions(), xo));
  if (t.rows.empty()) return Status::Invalid("file", "import_empty", "文件中没有数据行", "The file has no data rows");
  if (static_cast<std::int64_t>(t.rows.size()) > o.max_rows) {
    return Status::Error(Code::kPayloadTooLarge, "import_too_many_rows",
                         "单次上传最多" + std::to_string(o.max_rows) + "行，请拆分文件",
                         "At most " + std::to_string(o.max_rows) + " rows per upload; split the file", "file");
  }
  ImportMapping mapping = o.mapping;
  if (mapping.empty()) {
    TH_ASSIGN_OR_RETURN(mapping, ParseMappingJson(source.mapping_json));
  }
  if (mapping.empty()) mapping = SuggestScreeningMapping(t.header);
  // Field key → column index (the platform's mapping check: unknown fields, missing headers, required name).
  TH_ASSIGN_OR_RETURN(auto mapped, MapColumns(kFields, mapping, t.header));
  std::map<std::string, int> col;
  for (std::size_t f = 0; f < kFields.size(); ++f) {
    if (mapped[f] >= 0) col[kFields[f].key] = mapped[f];
  }

  // Communities of the jurisdiction by code and name; the county code prefix for hukou checks.
  std::map<std::string, const repo::OrgUnit*> community_by_code;
  std::map<std::string, std::vector<const repo::OrgUnit*>> community_by_name;
  for (const auto& u : units) {
    if (u.level != "community") continue;
    community_by_code[u.code] = &u;
    community_by_name[u.name].push_back(&u);
  }
  // Department rows, normalized.
  std::vector<repo::BatchRow> rows(t.rows.size());
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    auto get = [&](const char* key) -> std::string {
      auto it = col.find(key);
      // Department data is kept, cleaned (no control characters, at most 200 characters), not refused.
      return it == col.end() ? std::string()
                             : text::ScrubText(Trim(t.rows[i][static_cast<std::size_t>(it->second)]), text::kLineText);
    };
    repo::BatchRow& r = rows[i];
    r.line = t.row_lines[i];
    r.name = get("name");
    r.sex = ParseSex(get("sex"));
    if (std::string b = get("birth_date"); !b.empty()) {
      auto d = text::ParseDate(b);
      if (d.ok()) r.birth_date = text::FormatDate(*d);
    }
    std::string id = get("id_number");
    if (!id.empty() && (id[0] == 'G' || id[0] == 'g') && id.size() == 19) id = id.substr(1);  // 学籍号 G + ID
    auto parsed = domain::ParseIdNumber(id, today);
    if (parsed.ok()) {
      r.id_enc = deps_.keys.Encrypt(parsed->normalized, kCtxRecordId);
      r.id_masked = domain::MaskIdNumber(parsed->normalized);
      if (r.birth_date.empty()) r.birth_date = domain::BirthDateOf(*parsed).ToString();
      if (r.sex.empty()) r.sex = parsed->sex == 'M' ? "male" : "female";
    } else if (!id.empty()) {
      // Sealed as given: the engine treats it as a near-ID or ignores it.
      r.id_enc = deps_.keys.Encrypt(id, kCtxRecordId);
      r.id_masked = domain::MaskIdNumber(id);
    }
    r.father_name = get("father_name");
    r.mother_name = get("mother_name");
    r.guardian_name = get("guardian_name");
    if (std::string phone = get("guardian_phone"); !phone.empty()) {
      r.phone_enc = deps_.keys.Encrypt(phone, kCtxRecordPhone);
    }
    r.hukou_address = get("hukou_address");
    r.hukou_region_code = get("hukou_region_code");
    if (r.hukou_region_code.empty() && parsed.ok()) r.hukou_region_code = parsed->region;
    r.residence_address = get("residence_address");
    if (std::string cm = get("community"); !cm.empty()) {
      if (auto it = community_by_code.find(cm); it != community_by_code.end()) {
        r.community_id = it->second->id;
      } else if (auto jt = community_by_name.find(cm); jt != community_by_name.end() && jt->second.size() == 1) {
        r.community_id = jt->second[0]->id;
      }
    }
    if (!r.community_id && !r.residence_address.empty()) {
      // The longest community name the address mentions, when unique.
      std::size_t best = 0;
      int hits = 0;
      for (const auto& [name, list] : community_by_name) {
        if (list.size() != 1 || !Contains(r.residence_address, name)) continue;
        if (name.size() > best) {
          best = name.size();
          hits = 1;
          r.community_id = list[0]->id;
        } else if (name.size() == best) {
          ++hits;
        }
      }
      if (hits > 1) r.community_id.reset();
    }
    r.school_name = get("school_name");
    r.disability_type = get("disability_type");
    r.disability_grade = ParseGrade(get("disability_grade"));
    r.assistance = ParseAssistance(get("assistance"));
    r.father_state = ParseState(get("father_state"));
    r.mother_state = ParseState(get("mother_state"));
  }

  // The batch and its rows in one transaction; the worker does the rest.
  repo::ScreeningBatchRecord batch;
  batch.source_id = source.id;
  batch.org_unit_id = who.org_unit_id;
  batch.unit_path = who.org_path;
  batch.file_name = o.file_name;
  batch.uploaded_by = who.user_id;
  batch.status = "queued";
  batch.stage = "queued";
  batch.total = static_cast<std::int64_t>(rows.size());
  batch.created_at = now;
  batch.reference_date = today;
  batch.complete_roster = o.complete_roster;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    repo::ScreeningRepo repo(c);
    TH_RETURN_IF_ERROR(repo.InsertBatch(batch));
    for (auto& r : rows) {
      r.batch_id = batch.id;
      TH_RETURN_IF_ERROR(repo.InsertRow(r));
    }
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"screening.upload", "screening_batch", std::to_string(batch.id), who.org_path, "",
                       JsonObjectWriter()
                           .Int("source_id", source.id)
                           .Str("file_name", o.file_name)
                           .Int("rows", batch.total)
                           .Bool("complete_roster", o.complete_roster)
                           .Finish(),
                       o.file_name.empty() ? "screening" : "screening: " + o.file_name});
  }));
  {
    std::lock_guard<std::mutex> lock(hook_mu_);
    if (on_queued_) on_queued_();
  }
  return GetBatch(who, batch.id);
}

}  // namespace th::service
