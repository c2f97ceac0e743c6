#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "common/result.h"
#include "ranker/model.h"

namespace foldrank {

// Model versions as files in a data directory: models/model-NNNNNN.json, one
// immutable file per version, and models/ACTIVE naming the version that serves.
// Files are written to a temporary name, synced and renamed, so a crash never
// leaves a half-written model. Not thread-safe; one writer process at a time.
class ModelFiles {
 public:
  explicit ModelFiles(std::filesystem::path data_dir);

  // The active model; the cold-start model (not saved) when none was ever activated.
  // Corruption naming the file when the active file is damaged.
  Result<Model> LoadActive() const;
  // NotFound if there is no such version. Version 1 is the built-in cold-start
  // model (so activating 1 rolls back to it).
  Result<Model> Load(std::uint64_t version) const;
  // Stores `model` under the next free version number, with `parent` as its
  // parent, and returns it as stored. Does not activate it.
  Result<Model> Save(const Model& model, std::uint64_t parent);
  // Makes `version` (which must exist) the active one.
  Status Activate(std::uint64_t version);
  // Stored versions, ascending.
  std::vector<std::uint64_t> Versions() const;

 private:
  std::filesystem::path PathOf(std::uint64_t version) const;
  std::filesystem::path dir_;
};

}  // namespace foldrank
