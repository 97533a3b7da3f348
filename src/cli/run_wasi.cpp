#include "run_wasi.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace loom::cli {

WasiConfig::Preopen parse_dir(const std::string& spec, bool read_only) {
  const size_t sep = spec.find("::");
  WasiConfig::Preopen preopen;
  preopen.host_path = sep == std::string::npos ? spec : spec.substr(0, sep);
  preopen.guest_path = sep == std::string::npos ? spec : spec.substr(sep + 2);
  preopen.read_only = read_only;
  return preopen;
}

void add_env(const std::string& spec, std::vector<std::string>& env) {
  if (spec.find('=') != std::string::npos) {
    env.push_back(spec);
  } else if (const char* value = std::getenv(spec.c_str())) {
    env.push_back(spec + "=" + value);
  }
}

// HOST is a numeric IPv4 or [IPv6] address or localhost: name lookup (getaddrinfo) would load
// shared libraries into the static loom binary at run time.
Result<int> listen_on(const std::string& address) {
  const auto bad = [&](const std::string& why) {
    return Error(ErrorKind::Usage, "--tcplisten " + address + ": " + why);
  };
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return bad("expected HOST:PORT");
  std::string host = address.substr(0, colon);
  char* end = nullptr;
  const unsigned long port = std::strtoul(address.c_str() + colon + 1, &end, 10);
  if (colon + 1 == address.size() || *end != '\0' || port > 65535) return bad("bad port");
  if (host == "localhost") host = "127.0.0.1";
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    length = sizeof *v4;
  } else if (host.size() > 2 && host.front() == '[' && host.back() == ']' &&
             inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    length = sizeof *v6;
  } else {
    return bad("expected a numeric address (or localhost)");
  }
  const int fd = socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int yes = 1;
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) != 0 ||
      bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 || listen(fd, SOMAXCONN) != 0) {
    const std::string why = std::strerror(errno);
    if (fd >= 0) close(fd);
    return bad(why);
  }
  return fd;
}

}  // namespace loom::cli
