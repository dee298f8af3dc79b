// Multi-pattern dictionary matching: an Aho-Corasick automaton compiled to a
// dense DFA over a small byte alphabet (a-z, 0-9, space, a few marks, other),
// so a scan costs one table look-up per byte however many patterns there are.
// Thread-safety: Build() once, then Scan() from any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace truce::extract {

class AhoCorasick {
 public:
  struct Match {
    uint32_t begin;  // byte offsets in the scanned text
    uint32_t end;
    int32_t id;      // as passed to Add()
  };

  // Adds a pattern (already folded: lower case ASCII, single spaces). Patterns
  // with bytes outside the alphabet still work: those bytes share one class.
  void Add(std::string_view pattern, int32_t id);
  void Build();
  size_t pattern_count() const { return lengths_.size(); }
  size_t state_count() const { return num_states_; }

  // Calls every match, including overlapping ones, whose begin and end fall on
  // word boundaries (start/end of text or a space) — `text` is a sequence of
  // folded tokens joined by single spaces.
  void Scan(std::string_view text, std::vector<Match>* out) const;

 private:
  static constexpr int kClasses = 40;
  static int ClassOf(unsigned char c);
  int32_t NewState();

  // Build-time trie (sparse), then the dense table.
  std::vector<std::vector<std::pair<uint8_t, int32_t>>> trie_;
  std::vector<int32_t> delta_;      // state * kClasses + class -> state
  std::vector<int32_t> out_first_;  // first pattern index ending here, -1
  std::vector<int32_t> out_next_;   // state with more outputs (dictionary suffix link), -1
  std::vector<int32_t> pattern_ids_;       // index -> id
  std::vector<int32_t> pattern_next_;      // index -> next index ending at same state
  std::vector<uint32_t> lengths_;          // index -> byte length
  std::vector<std::string> patterns_;      // index -> text, to verify bytes that share a class
  size_t num_states_ = 0;
  bool built_ = false;
};

}  // namespace truce::extract
