#include "matcher.h"

#include <deque>
#include <string>

namespace truce::extract {

int AhoCorasick::ClassOf(unsigned char c) {
  if (c >= 'a' && c <= 'z') return 1 + (c - 'a');      // 1..26
  if (c >= '0' && c <= '9') return 27 + (c - '0');     // 27..36
  if (c == ' ') return 37;
  if (c == '\'' || c == '.' || c == '-') return 38;
  return 39;  // everything else, including upper case and non-ASCII bytes
}

int32_t AhoCorasick::NewState() {
  trie_.emplace_back();
  out_first_.push_back(-1);
  return static_cast<int32_t>(trie_.size() - 1);
}

void AhoCorasick::Add(std::string_view pattern, int32_t id) {
  if (trie_.empty()) NewState();
  if (pattern.empty()) return;
  int32_t s = 0;
  for (unsigned char c : pattern) {
    uint8_t cls = static_cast<uint8_t>(ClassOf(c));
    int32_t next = -1;
    for (auto& [k, v] : trie_[s]) {
      if (k == cls) { next = v; break; }
    }
    if (next < 0) {
      next = NewState();
      trie_[s].emplace_back(cls, next);
    }
    s = next;
  }
  int32_t idx = static_cast<int32_t>(pattern_ids_.size());
  pattern_ids_.push_back(id);
  lengths_.push_back(static_cast<uint32_t>(pattern.size()));
  patterns_.emplace_back(pattern);
  pattern_next_.push_back(out_first_[s]);
  out_first_[s] = idx;
  built_ = false;
}

void AhoCorasick::Build() {
  if (trie_.empty()) NewState();
  num_states_ = trie_.size();
  delta_.assign(num_states_ * kClasses, 0);
  out_next_.assign(num_states_, -1);
  std::vector<int32_t> fail(num_states_, 0);
  std::deque<int32_t> queue;
  for (auto& [cls, child] : trie_[0]) {
    delta_[cls] = child;
    fail[child] = 0;
    queue.push_back(child);
  }
  while (!queue.empty()) {
    int32_t s = queue.front();
    queue.pop_front();
    // Dictionary suffix link: the nearest proper suffix state with output.
    int32_t f = fail[s];
    out_next_[s] = out_first_[f] >= 0 ? f : out_next_[f];
    for (int c = 0; c < kClasses; ++c) delta_[s * kClasses + c] = delta_[f * kClasses + c];
    for (auto& [cls, child] : trie_[s]) {
      fail[child] = delta_[f * kClasses + cls];
      delta_[s * kClasses + cls] = child;
      queue.push_back(child);
    }
  }
  trie_.clear();
  trie_.shrink_to_fit();
  built_ = true;
}

void AhoCorasick::Scan(std::string_view text, std::vector<Match>* out) const {
  if (!built_ || num_states_ == 0) return;
  int32_t s = 0;
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    s = delta_[static_cast<size_t>(s) * kClasses + ClassOf(static_cast<unsigned char>(text[i]))];
    if (out_first_[s] < 0 && out_next_[s] < 0) continue;
    bool end_ok = i + 1 == n || text[i + 1] == ' ';
    if (!end_ok) continue;
    for (int32_t st = out_first_[s] >= 0 ? s : out_next_[s]; st >= 0; st = out_next_[st]) {
      for (int32_t p = out_first_[st]; p >= 0; p = pattern_next_[p]) {
        size_t len = lengths_[p];
        size_t b = i + 1 - len;
        if ((b == 0 || text[b - 1] == ' ') && text.compare(b, len, patterns_[p]) == 0) {
          out->push_back({static_cast<uint32_t>(b), static_cast<uint32_t>(i + 1), pattern_ids_[p]});
        }
      }
    }
  }
}

}  // namespace truce::extract
