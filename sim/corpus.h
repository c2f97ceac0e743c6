#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "foldrank/document.h"
#include "foldrank/result.h"

namespace foldrank::sim {

// The documents of a JSONL file; lines that are not documents are skipped and
// counted in `*rejected` when given.
Result<std::vector<Document>> ReadCorpus(const std::string& path, std::size_t* rejected = nullptr);

// Indexes `corpus` into a new index at `index_dir`, committed and optimized: the
// template every arm's data directory starts from.
Status BuildTemplateIndex(const std::vector<Document>& corpus,
                          const std::filesystem::path& index_dir);

// A fresh data directory `data_dir` whose index is a copy of `template_index_dir`
// (and no ledger yet), so every arm starts from the same index.
Status CopyTemplateIndex(const std::filesystem::path& template_index_dir,
                         const std::filesystem::path& data_dir);

}  // namespace foldrank::sim
