// Small string helpers shared by the readers and the CLI.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace truce {

std::string_view Trim(std::string_view s);
std::string ToLowerAscii(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::vector<std::string> Split(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
// Strict numeric parsing of the whole string (after trimming spaces).
std::optional<long long> ParseInt(std::string_view s);
std::optional<double> ParseDouble(std::string_view s);
// Lower-case hex of each byte ("\x01\xab" -> "01ab"), and back (nullopt on
// an odd length or a non-hex digit).
std::string HexEncode(std::string_view bytes);
std::optional<std::string> HexDecode(std::string_view hex);
// "2.3 km" for 2300, "850 m" for 850: the form reasons use.
std::string FormatDistance(double distance_m);
// A number in messages, as short as it prints and exact to 10 significant
// digits ("%.10g"): 36.5, 1e+20, 91.0000001.
std::string FormatNumber(double v);

}  // namespace truce
