#include <boost/json.hpp>
