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

// The .wast files of a list (one name a line, # comments) as full paths; empty when absent.
inline std::vector<std::string> listed_files(const std::string& list_path) {
  std::vector<std::string> files;
  std::string list;
  if (!read_file(list_path, list)) return files;
  std::istringstream lines(list);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    files.push_back(testsuite_dir() + "/" + line);
  }
  return files;
}

// The .wast files of WASM-2.0-FILES.txt (full paths); empty when the suite is absent.
inline std::vector<std::string> wasm2_files() {
  return listed_files(testsuite_dir() + "/WASM-2.0-FILES.txt");
}

#ifdef LOOM_FILES30
// The required 3.0 files (tests/spec/files-3.0.txt).
inline std::vector<std::string> wasm3_files() {
  return listed_files(LOOM_FILES30);
}
#endif

}  // namespace loom::testing
