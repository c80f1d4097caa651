# th_module(<name> [USES <module>...]
#           [DOMAIN <src>...] [REPO <src>...] [SERVICE <src>...] [API <src>...]
#           [DOMAIN_LIBS <lib>...] [REPO_LIBS <lib>...] [SERVICE_LIBS <lib>...] [API_LIBS <lib>...])
#
# One static library per layer of src/modules/<name>/ (or src/platform/ for name "platform"):
# th_<name>_domain, th_<name>_repo, th_<name>_service, th_<name>_api. A layer without sources is
# an INTERFACE library, so every name exists. Links are PRIVATE and follow the allowed edges only
# (../shared/DESIGN.md "Architecture"):
#   domain  -> shared th_domain, the used modules' domain
#   repo    -> own domain, platform repo, storage
#   service -> own repo and domain, platform service and repo, the used modules' service and domain
#   api     -> own service and domain, platform api and service, the used modules' api, service
#              and domain (never a repo)
# *_LIBS add leaf libraries (th_io, th_text, Boost::json, ...). The module and what it USES are
# appended to the global property TH_MODULE_EDGES, which the top-level CMakeLists.txt writes to
# ${CMAKE_BINARY_DIR}/layering_edges.txt for layering_test (tools/layering_check.cc).
function(th_module name)
  cmake_parse_arguments(M "" ""
    "USES;DOMAIN;REPO;SERVICE;API;DOMAIN_LIBS;REPO_LIBS;SERVICE_LIBS;API_LIBS" ${ARGN})
  string(JOIN " " uses_text ${M_USES})
  set_property(GLOBAL APPEND PROPERTY TH_MODULE_EDGES "${name}: ${uses_text}")
  set(p th_${name})
  foreach(layer domain repo service api)
    string(TOUPPER ${layer} L)
    if(M_${L})
      add_library(${p}_${layer} STATIC ${M_${L}})
      target_link_libraries(${p}_${layer} PUBLIC th_src_root PRIVATE th_base ${M_${L}_LIBS})
    else()
      add_library(${p}_${layer} INTERFACE)
      target_link_libraries(${p}_${layer} INTERFACE th_src_root)
    endif()
  endforeach()
  # Allowed edges, by layer: what each layer may link (and so include).
  if(NOT name STREQUAL "platform")
    set(platform_repo th_platform_repo)
    set(platform_service th_platform_service th_platform_repo)
    set(platform_api th_platform_api th_platform_service)
  endif()
  set(used_domain "")
  set(used_service "")
  set(used_api "")
  foreach(u ${M_USES})
    list(APPEND used_domain th_${u}_domain)
    list(APPEND used_service th_${u}_service th_${u}_domain)
    list(APPEND used_api th_${u}_api th_${u}_service th_${u}_domain)
  endforeach()
  _th_link(${p}_domain th_domain ${used_domain})
  _th_link(${p}_repo ${p}_domain ${platform_repo} th_storage ${used_domain})
  _th_link(${p}_service ${p}_repo ${p}_domain ${platform_service} ${used_service})
  _th_link(${p}_api ${p}_service ${p}_domain ${platform_api} th_http ${used_api})
endfunction()

# PRIVATE for a static library (consumers still link its dependencies), INTERFACE for an empty layer.
function(_th_link target)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_link_libraries(${target} INTERFACE ${ARGN})
  else()
    target_link_libraries(${target} PRIVATE ${ARGN})
  endif()
endfunction()
