#include <iostream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "index/index.h"

namespace foldrank::cli {

int RunDelete(const std::vector<std::string>& args) {
  CommandLine command_line("foldrank delete --data DIR ID...",
                           "Removes the documents with these ids from the index in DIR. An id\n"
                           "that is not indexed is reported and skipped.");
  command_line.Options()("data,d", boost::program_options::value<std::string>()->required(),
                         "data directory (the index lives in DIR/index)")(
      "id", boost::program_options::value<std::vector<std::string>>()->required(),
      "document id(s) to delete");
  command_line.Positional("id", -1);
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  const auto& values = command_line.values();
  auto index =
      Index::Open(IndexDirectory(values["data"].as<std::string>()),
                  {.create_if_missing = false, .refresh_interval_ms = 0, .commit_interval_ms = 0});
  if (!index) {
    std::cerr << "foldrank delete: " << index.error().ToString() << "\n";
    return 1;
  }
  int deleted = 0;
  for (const std::string& id : values["id"].as<std::vector<std::string>>()) {
    auto existed = (*index)->Delete(id);
    if (!existed) {
      std::cerr << "foldrank delete: " << existed.error().ToString() << "\n";
      return 1;
    }
    if (!*existed) {
      std::cerr << "foldrank delete: no document with id '" << id << "'\n";
      continue;
    }
    ++deleted;
  }
  Status status = (*index)->Commit();
  if (status.ok()) status = (*index)->Refresh();
  if (!status.ok()) {
    std::cerr << "foldrank delete: " << status.ToString() << "\n";
    return 1;
  }
  std::cout << "deleted " << deleted << "; the index holds " << (*index)->Snapshot()->doc_count()
            << " documents\n";
  return 0;
}

}  // namespace foldrank::cli
