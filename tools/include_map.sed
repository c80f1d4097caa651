# Include paths before -> after the module layout (issue 10). For merging branches written against the old
# layout: sed -i -f tools/include_map.sed $(git ls-files 'src/*.cc' 'src/*.h')
# Also: Services (platform/service/services.h) no longer has org()/users() (service::Accounts, modules/accounts/service/accounts.h);
# AllRoles()/FindRole() became Services::roles() (RoleTable); api/api.h's RegisterRoutes is app::Modules::RegisterRoutes.
s|#include "service/principal.h"|#include "platform/service/principal.h"|g
s|#include "service/roles.h"|#include "platform/service/roles.h"|g
s|#include "service/deps.h"|#include "platform/service/deps.h"|g
s|#include "service/session_cache.h"|#include "platform/service/session_cache.h"|g
s|#include "service/auth_service.h"|#include "platform/service/auth_service.h"|g
s|#include "service/audit_service.h"|#include "platform/service/audit_service.h"|g
s|#include "service/testing/service_fixture.h"|#include "app/testing/service_fixture.h"|g
s|#include "service/org_service.h"|#include "modules/accounts/service/org_service.h"|g
s|#include "service/user_service.h"|#include "modules/accounts/service/user_service.h"|g
s|#include "repo/records.h"|#include "platform/repo/records.h"|g
s|#include "repo/sql_values.h"|#include "platform/repo/sql_values.h"|g
s|#include "repo/audit_repo.h"|#include "platform/repo/audit_repo.h"|g
s|#include "repo/org_repo.h"|#include "platform/repo/org_repo.h"|g
s|#include "repo/user_repo.h"|#include "platform/repo/user_repo.h"|g
s|#include "repo/jurisdiction_repo.h"|#include "platform/repo/jurisdiction_repo.h"|g
s|#include "repo/child_repo.h"|#include "modules/registry/repo/child_repo.h"|g
s|#include "repo/child_import_repo.h"|#include "modules/registry/repo/child_import_repo.h"|g
s|#include "repo/child_photo_repo.h"|#include "modules/registry/repo/child_photo_repo.h"|g
s|#include "repo/screening_repo.h"|#include "modules/screening/repo/screening_repo.h"|g
s|#include "service/child_service.h"|#include "modules/registry/service/child_service.h"|g
s|#include "service/child_import.h"|#include "modules/registry/service/child_import.h"|g
s|#include "service/screening_rules.h"|#include "modules/screening/service/screening_rules.h"|g
s|#include "service/screening_service.h"|#include "modules/screening/service/screening_service.h"|g
s|#include "api/json_io.h"|#include "platform/api/json_io.h"|g
s|#include "api/api.h"|#include "app/api.h"|g
s|#include "api/child_routes.h"|#include "modules/registry/api/child_routes.h"|g
s|#include "api/child_import_routes.h"|#include "modules/registry/api/child_import_routes.h"|g
s|#include "api/screening_routes.h"|#include "modules/screening/api/screening_routes.h"|g
s|#include "domain/child.h"|#include "modules/registry/domain/child.h"|g
s|#include "domain/categories.h"|#include "modules/registry/domain/categories.h"|g
s|#include "domain/category_config.h"|#include "modules/registry/domain/category_config.h"|g
s|#include "domain/demo_generator.h"|#include "modules/registry/domain/demo_generator.h"|g
s|#include "domain/demo_names.h"|#include "modules/registry/domain/demo_names.h"|g
s|#include "api/api.h"|#include "platform/api/platform_routes.h"|g
