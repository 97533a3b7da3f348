// Shared helpers for the tests that walk the spec testsuite (path from LOOM_TESTSUITE_DIR).
#pragma once
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace loom::testing {

inline std::string testsuite_dir() {
  return LOOM_TESTSUITE_DIR;
}

inline bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// The .wast files of WASM-2.0-FILES.txt (full paths); empty when the suite is absent.
inline std::vector<std::string> wasm2_files() {
  std::vector<std::string> files;
  std::string list;
  if (!read_file(testsuite_dir() + "/WASM-2.0-FILES.txt", list)) return files;
  std::istringstream lines(list);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    files.push_back(testsuite_dir() + "/" + line);
  }
  return files;
}

}  // namespace loom::testing
