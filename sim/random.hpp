// Deterministic pseudo-random numbers for the simulator.
//
// Everything the simulator generates derives from --seed through these functions, never through
// std::uniform_*_distribution (whose output is implementation-defined), so the same seed gives
// byte-identical data with any standard library. Integer arithmetic only, except `chance`, whose
// double is built exactly from 53 random bits.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace ccloud_sim {

// One splitmix64 step: advances `state` and returns a well-mixed 64-bit value.
inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

inline uint64_t mix64(uint64_t x) { return splitmix64(x); }

// FNV-1a over the bytes of `text`: a stable name → number map for stream keys.
inline uint64_t hash_text(std::string_view text) {
  uint64_t h = 0xCBF29CE484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001B3ULL;
  }
  return h;
}

inline uint64_t hash_combine(uint64_t a, uint64_t b) {
  return mix64(a ^ (mix64(b) + 0x9E3779B97F4A7C15ULL + (a << 6) + (a >> 2)));
}

inline uint64_t hash_of(uint64_t seed, std::string_view label, uint64_t a = 0, uint64_t b = 0,
                        uint64_t c = 0) {
  return hash_combine(hash_combine(hash_combine(hash_combine(seed, hash_text(label)), a), b), c);
}

// A uniform double in [0, 1) made exactly from the top 53 bits of `h`.
inline double unit_interval(uint64_t h) {
  return static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);
}

// xoshiro256** seeded through splitmix64.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& word : state_) word = splitmix64(seed);
  }
  Rng(uint64_t seed, std::string_view stream) : Rng(hash_combine(seed, hash_text(stream))) {}

  uint64_t next() {
    const uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n) without modulo bias; n == 0 gives 0.
  uint64_t below(uint64_t n) {
    if (n == 0) return 0;
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x = next();
    while (x >= limit) x = next();
    return x % n;
  }

  // Uniform in [lo, hi] (inclusive).
  int64_t between(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo) + 1));
  }

  bool chance(double p) { return unit_interval(next()) < p; }

  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(below(items.size()))];
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t state_[4];
};

}  // namespace ccloud_sim
