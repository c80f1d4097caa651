#pragma once
// JSON of cases, assessments and forms (the routes only serialize what the service built).
#include <boost/json.hpp>

#include "modules/cases/service/case_service.h"

namespace th::api {

boost::json::object CaseJson(const service::CaseView& v, const domain::FormSet& forms, bool detail);
boost::json::object AssessmentJson(const repo::AssessmentRecord& a, const domain::FormSet& forms);
boost::json::object FormJson(const domain::AssessmentForm& f);
// {code, name, level, action, color} of a grade code (the risk form's, else any form's), or null.
boost::json::value GradeJson(const domain::FormSet& forms, const std::string& kind, const std::string& code);

}  // namespace th::api
