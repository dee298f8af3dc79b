// The time zone lookup shared by the time module's files (not public).
#pragma once

#include <date/tz.h>

#include <string_view>

namespace truce::time::detail {

// The zone of that IANA name, nullptr for an unknown or empty name.
// date::locate_zone throws on unknown names; this is the one place that turns
// that into a value.
const date::time_zone* FindZone(std::string_view name);

}  // namespace truce::time::detail
