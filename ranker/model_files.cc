#include "ranker/model_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace foldrank {
namespace {

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::Unavailable("error reading " + path.string());
  return buffer.str();
}

// Writes `text` to `path` via a synced temporary file and a rename: readers see the
// old file or the new one, never a mix, even after a crash.
Status WriteAtomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Unavailable("cannot write " + temporary.string());
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) {
      ::close(fd);
      std::filesystem::remove(temporary);
      return Status::Unavailable("cannot write " + temporary.string() + " (disk full?)");
    }
    written += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  std::error_code error;
  if (synced) std::filesystem::rename(temporary, path, error);
  if (!synced || error) {
    std::filesystem::remove(temporary, error);
    return Status::Unavailable("cannot commit " + path.string());
  }
  return Status::Ok();
}

}  // namespace

ModelFiles::ModelFiles(std::filesystem::path data_dir) : dir_(std::move(data_dir) / "models") {}

std::filesystem::path ModelFiles::PathOf(std::uint64_t version) const {
  char name[40];
  std::snprintf(name, sizeof(name), "model-%06llu.json", static_cast<unsigned long long>(version));
  return dir_ / name;
}

std::vector<std::uint64_t> ModelFiles::Versions() const {
  std::vector<std::uint64_t> versions;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, error)) {
    const std::string name = entry.path().filename().string();
    constexpr std::string_view kPrefix = "model-", kSuffix = ".json";
    if (name.size() <= kPrefix.size() + kSuffix.size() || !name.starts_with(kPrefix) ||
        !name.ends_with(kSuffix)) {
      continue;
    }
    const std::string digits =
        name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
    if (digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    versions.push_back(std::stoull(digits));
  }
  std::sort(versions.begin(), versions.end());
  return versions;
}

Result<Model> ModelFiles::Load(std::uint64_t version) const {
  const auto path = PathOf(version);
  // Version 1 is the built-in cold-start model unless a file says otherwise.
  if (version == 1 && !std::filesystem::exists(path)) return Model::ColdStart();
  if (!std::filesystem::exists(path))
    return Status::NotFound("no model version " + std::to_string(version));
  auto text = ReadFile(path);
  if (!text) return text.error();
  auto model = Model::FromJson(*text);
  if (!model)
    return Status::Corruption(path.string() + ": " + std::string(model.error().message()));
  return model;
}

Result<Model> ModelFiles::LoadActive() const {
  const auto active = dir_ / "ACTIVE";
  if (!std::filesystem::exists(active)) return Model::ColdStart();
  auto text = ReadFile(active);
  if (!text) return text.error();
  unsigned long long version = 0;
  if (std::sscanf(text->c_str(), "%llu", &version) != 1) {
    return Status::Corruption(active.string() + ": does not hold a version number");
  }
  return Load(version);
}

Result<Model> ModelFiles::Save(const Model& model, std::uint64_t parent) {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) return Status::Unavailable("cannot create " + dir_.string() + ": " + error.message());
  const auto versions = Versions();
  // Version 1 is the cold-start model, which is never saved.
  const std::uint64_t version =
      std::max<std::uint64_t>(versions.empty() ? 1 : versions.back(), parent) + 1;
  Model stored = model.Renumbered(version, parent);
  FOLDRANK_RETURN_IF_ERROR(WriteAtomically(PathOf(version), stored.ToJson()));
  return stored;
}

Status ModelFiles::Activate(std::uint64_t version) {
  auto model = Load(version);
  if (!model) return model.error();
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) return Status::Unavailable("cannot create " + dir_.string() + ": " + error.message());
  return WriteAtomically(dir_ / "ACTIVE", std::to_string(version) + "\n");
}

}  // namespace foldrank
