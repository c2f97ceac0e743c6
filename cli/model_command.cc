#include <iostream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/data_dir.h"
#include "cli/read_text.h"
#include "feedback/sqlite_ledger.h"

namespace foldrank::cli {
namespace {

namespace po = boost::program_options;

// The data directory's ledger, created if missing.
Result<std::unique_ptr<SqliteLedger>> OpenLedger(const std::string& data_dir) {
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  return SqliteLedger::Open(LedgerPath(data_dir));
}

// The model in force (Ledger::Active::InForce).
Result<Model> ActiveModel(Ledger& ledger) {
  auto active = ledger.ActiveModel();
  if (!active) return active.error();
  return active->InForce();
}

int Fail(const char* command, const Status& status) {
  std::cerr << "foldrank model " << command << ": " << status.ToString() << "\n";
  return 1;
}

// The new model that importing `text` as `format` over `active` makes.
Result<Model> ImportedModel(const Model& active, const std::string& text, const std::string& format,
                            float base_score, const std::string& normalization) {
  if (format == "xgboost") {
    auto trees = TreeEnsemble::FromXgboostJson(text, base_score);
    if (!trees) return trees.error();
    Normalization chosen;
    if (normalization == "none") {
      chosen.method = Normalization::Method::kNone;
    } else if (normalization != "per_query_minmax") {
      return Status::InvalidArgument("--normalization must be per_query_minmax or none");
    }
    return Model::WithTreeBase(active, std::move(*trees), chosen, "import:xgboost");
  }
  if (format == "linear") {
    auto linear = Model::LinearFromJson(text);
    if (!linear) return linear.error();
    return Model::WithLinearBase(active, *linear, "import:linear");
  }
  if (format == "model") {
    auto model = Model::FromJson(text);
    if (!model) return model.error();
    return model->Renumbered(active.version() + 1, active.version());
  }
  return Status::InvalidArgument("--format must be linear, xgboost or model");
}

int Import(const std::vector<std::string>& args) {
  CommandLine command_line(
      "foldrank model import --data DIR [--format linear|xgboost|model] FILE",
      "Validates FILE and stores it as a new model version with a new base, then makes\n"
      "it the active model. The delta learned so far is reset: it was learned on top\n"
      "of the old base.\n"
      "  linear:  {\"bias\": 0, \"weights\": {\"bm25_all\": 1.0, ...}} over normalized features\n"
      "  xgboost: Booster.get_dump(dump_format=\"json\") joined into a JSON array; split\n"
      "           features named as in foldrank's feature set or f<column>\n"
      "  model:   a whole foldrank model JSON (e.g. from 'foldrank model show')");
  command_line.Options()("data,d", po::value<std::string>()->required(), "data directory")(
      "format", po::value<std::string>()->default_value("linear"), "linear, xgboost or model")(
      "base-score", po::value<float>()->default_value(0.0f),
      "xgboost: the booster's base_score (a constant; ranking ignores it)")(
      "normalization", po::value<std::string>()->default_value("per_query_minmax"),
      "xgboost: the features the trees were trained on: per_query_minmax or none")(
      "file", po::value<std::string>()->required(), "model file");
  command_line.Positional("file", 1);
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  const auto& values = command_line.values();
  auto ledger = OpenLedger(values["data"].as<std::string>());
  if (!ledger) return Fail("import", ledger.error());
  auto active = ActiveModel(**ledger);
  if (!active) return Fail("import", active.error());
  auto text = ReadText(values["file"].as<std::string>());
  if (!text) return Fail("import", text.error());
  auto imported =
      ImportedModel(*active, *text, values["format"].as<std::string>(),
                    values["base-score"].as<float>(), values["normalization"].as<std::string>());
  if (!imported) {
    std::cerr << "foldrank model import: rejected, nothing changed: " << imported.error().message()
              << "\n";
    return 1;
  }
  auto stored =
      (*ledger)->StoreModel(imported->WithDelta({}, imported->origin()), active->version());
  Status activated = stored ? (*ledger)->Activate(stored->version()) : stored.error();
  if (!activated.ok()) return Fail("import", activated);
  std::cout << "imported as model v" << stored->version() << " (parent v" << stored->parent()
            << "), now active\n";
  return 0;
}

int List(const std::vector<std::string>& args) {
  CommandLine command_line("foldrank model list --data DIR", "Lists stored model versions.");
  command_line.Options()("data,d", po::value<std::string>()->required(), "data directory");
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  auto ledger = OpenLedger(command_line.values()["data"].as<std::string>());
  if (!ledger) return Fail("list", ledger.error());
  auto active = ActiveModel(**ledger);
  auto versions = (*ledger)->ModelVersions();
  if (!active) return Fail("list", active.error());
  if (!versions) return Fail("list", versions.error());
  std::cout << "v1  cold-start (built in)" << (active->version() == 1 ? "  [active]" : "") << "\n";
  for (std::uint64_t version : *versions) {
    auto model = (*ledger)->LoadModel(version);
    std::cout << "v" << version << "  ";
    if (!model) {
      std::cout << "unreadable: " << model.error().message() << "\n";
      continue;
    }
    std::cout << model->origin() << ", parent v" << model->parent() << ", "
              << (model->base_kind() == Model::BaseKind::kTrees ? "tree" : "linear") << " base"
              << (active->version() == version ? "  [active]" : "") << "\n";
  }
  return 0;
}

int Show(const std::vector<std::string>& args) {
  CommandLine command_line("foldrank model show --data DIR [VERSION]",
                           "Prints a model's JSON: VERSION, or the active model.");
  command_line.Options()("data,d", po::value<std::string>()->required(), "data directory")(
      "version", po::value<std::uint64_t>(), "model version");
  command_line.Positional("version", 1);
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  const auto& values = command_line.values();
  auto ledger = OpenLedger(values["data"].as<std::string>());
  if (!ledger) return Fail("show", ledger.error());
  auto model = values.count("version") ? (*ledger)->LoadModel(values["version"].as<std::uint64_t>())
                                       : ActiveModel(**ledger);
  if (!model) return Fail("show", model.error());
  std::cout << model->ToJson() << "\n";
  return 0;
}

int Activate(const std::vector<std::string>& args) {
  CommandLine command_line("foldrank model activate --data DIR VERSION",
                           "Makes a stored model version the active one (e.g. to roll back;\n"
                           "version 1 is the built-in cold-start model).");
  command_line.Options()("data,d", po::value<std::string>()->required(), "data directory")(
      "version", po::value<std::uint64_t>()->required(), "model version");
  command_line.Positional("version", 1);
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  auto ledger = OpenLedger(command_line.values()["data"].as<std::string>());
  if (!ledger) return Fail("activate", ledger.error());
  const std::uint64_t version = command_line.values()["version"].as<std::uint64_t>();
  Status status = (*ledger)->Activate(version);
  if (!status.ok()) return Fail("activate", status);
  std::cout << "model v" << version << " is active\n";
  return 0;
}

}  // namespace

int RunModel(const std::vector<std::string>& args) {
  const std::string usage =
      "usage: foldrank model import|list|show|activate --data DIR ...\n"
      "Run 'foldrank model SUBCOMMAND --help' for details.\n";
  if (args.empty()) {
    std::cerr << usage;
    return 2;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "import") return Import(rest);
  if (args[0] == "list") return List(rest);
  if (args[0] == "show") return Show(rest);
  if (args[0] == "activate") return Activate(rest);
  if (args[0] == "--help" || args[0] == "-h") {
    std::cout << usage;
    return 0;
  }
  std::cerr << "foldrank model: unknown subcommand '" << args[0] << "'\n" << usage;
  return 2;
}

}  // namespace foldrank::cli
