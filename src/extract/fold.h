// Folding of words and names for matching: case, diacritics and marks
// ("Sarāqib" -> "saraqib", "Ḩudaydah" -> "hudaydah"), and for non-Latin
// scripts an ICU transliteration to Latin ("Москва" -> "moskva").
// Thread-safety: all functions are safe to call concurrently.
#pragma once

#include <string>
#include <string_view>

namespace truce::extract {

// One word: lower case ASCII where possible, diacritics removed, apostrophes
// and ayn/hamza marks (’ ‘ ʿ ʾ ` ') dropped, ß -> ss, ø -> o, æ -> ae.
std::string FoldWord(std::string_view word);

// A place or person name: words folded, punctuation and hyphens as single
// spaces, and the Arabic article variants (al, el, ash, as, ad, ar, at, az, an,
// adh, ath) dropped when they precede another word, so that "Jisr al-Shughur"
// and "Jisr ash Shughūr" both give "jisr shughur".
std::string FoldName(std::string_view name);

// A vowel-insensitive skeleton of a folded name, for a second-chance match of
// transliteration variants ("saraqeb" ~ "saraqib" -> "srqb", "hodeidah" ~
// "hudaydah" -> "hddh"): vowels, y, w and spaces removed,
// doubled letters collapsed. Only used with a country context.
std::string Skeleton(std::string_view folded_name);

}  // namespace truce::extract
