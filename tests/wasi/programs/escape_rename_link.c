// escape_rename_link (Loom only): path_rename, path_link and path_symlink never move, link or
// create anything across the sandbox boundary, in either direction, by ".." or through the
// host-planted links (see escape_symlink.c).
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
  int sb = open("/sandbox", O_RDONLY | O_DIRECTORY);
  CHECK("rename file.txt -> ../escaped.txt", renameat(sb, "file.txt", sb, "../escaped.txt"));
  CHECK("rename file.txt -> ../outside/escaped.txt", renameat(sb, "file.txt", sb, "../outside/escaped.txt"));
  CHECK("rename file.txt -> rel_outside/escaped.txt", renameat(sb, "file.txt", sb, "rel_outside/escaped.txt"));
  CHECK("rename file.txt -> abs_outside/escaped.txt", renameat(sb, "file.txt", sb, "abs_outside/escaped.txt"));
  CHECK("rename ../outside/secret.txt -> stolen.txt", renameat(sb, "../outside/secret.txt", sb, "stolen.txt"));
  CHECK("rename rel_outside/secret.txt -> stolen.txt", renameat(sb, "rel_outside/secret.txt", sb, "stolen.txt"));
  CHECK("rename ../outside -> stolen_dir", renameat(sb, "../outside", sb, "stolen_dir"));
  CHECK("rename deep -> ../deep", renameat(sb, "deep", sb, "../deep"));
  CHECK("rename .. -> x", renameat(sb, "..", sb, "x"));
  CHECK("rename file.txt -> /tmp/escaped.txt", renameat(sb, "file.txt", sb, "/tmp/escaped.txt"));

  CHECK("link file.txt -> ../linked.txt", linkat(sb, "file.txt", sb, "../linked.txt", 0));
  CHECK("link file.txt -> rel_outside/linked.txt", linkat(sb, "file.txt", sb, "rel_outside/linked.txt", 0));
  CHECK("link ../outside/secret.txt -> stolen.txt", linkat(sb, "../outside/secret.txt", sb, "stolen.txt", 0));
  CHECK("link rel_outside/secret.txt -> stolen.txt", linkat(sb, "rel_outside/secret.txt", sb, "stolen.txt", 0));
  CHECK("link abs_secret -> stolen.txt (follow)", linkat(sb, "abs_secret", sb, "stolen.txt", AT_SYMLINK_FOLLOW));
  CHECK("link rel_secret -> stolen.txt (follow)", linkat(sb, "rel_secret", sb, "stolen.txt", AT_SYMLINK_FOLLOW));

  CHECK("symlink file.txt as ../escaped-link", symlinkat("file.txt", sb, "../escaped-link"));
  CHECK("symlink file.txt as rel_outside/escaped-link", symlinkat("file.txt", sb, "rel_outside/escaped-link"));

  // The same operations inside the sandbox work.
  CHECK("rename file.txt -> deep/moved.txt", renameat(sb, "file.txt", sb, "deep/moved.txt"));
  CHECK("link deep/moved.txt -> deep/er/linked.txt", linkat(sb, "deep/moved.txt", sb, "deep/er/linked.txt", 0));
  CHECK("rename deep/er -> er2 (via ..)", renameat(sb, "deep/er", sb, "deep/../er2"));
  struct stat st;
  CHECK("stat stolen.txt", fstatat(sb, "stolen.txt", &st, AT_SYMLINK_NOFOLLOW));
  return 0;
}
