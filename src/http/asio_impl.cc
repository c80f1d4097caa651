// The one translation unit that compiles Beast and Asio (BOOST_*_SEPARATE_COMPILATION is set
// on th_http, so every other file only sees declarations).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
