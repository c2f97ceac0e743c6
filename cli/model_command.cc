#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command_line.h"
#include "cli/commands.h"
#include "ranker/model_files.h"

namespace foldrank::cli {
namespace {

namespace po = boost::program_options;

Result<std::string> ReadText(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::NotFound("cannot read " + path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
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
  ModelFiles files(values["data"].as<std::string>());
  auto active = files.LoadActive();
  auto text = ReadText(values["file"].as<std::string>());
  if (!active || !text) {
    std::cerr << "foldrank model import: " << (!active ? active.error() : text.error()).ToString()
              << "\n";
    return 1;
  }
  auto imported =
      ImportedModel(*active, *text, values["format"].as<std::string>(),
                    values["base-score"].as<float>(), values["normalization"].as<std::string>());
  if (!imported) {
    std::cerr << "foldrank model import: rejected, nothing changed: " << imported.error().message()
              << "\n";
    return 1;
  }
  auto stored = files.Save(imported->WithDelta({}, imported->origin()), active->version());
  Status activated = stored ? files.Activate(stored->version()) : stored.error();
  if (!activated.ok()) {
    std::cerr << "foldrank model import: " << activated.ToString() << "\n";
    return 1;
  }
  std::cout << "imported as model v" << stored->version() << " (parent v" << stored->parent()
            << "), now active\n";
  return 0;
}

int List(const std::vector<std::string>& args) {
  CommandLine command_line("foldrank model list --data DIR", "Lists stored model versions.");
  command_line.Options()("data,d", po::value<std::string>()->required(), "data directory");
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  ModelFiles files(command_line.values()["data"].as<std::string>());
  auto active = files.LoadActive();
  if (!active) {
    std::cerr << "foldrank model list: " << active.error().ToString() << "\n";
    return 1;
  }
  std::cout << "v1  cold-start (built in)" << (active->version() == 1 ? "  [active]" : "") << "\n";
  for (std::uint64_t version : files.Versions()) {
    auto model = files.Load(version);
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
  ModelFiles files(command_line.values()["data"].as<std::string>());
  const auto& values = command_line.values();
  auto model =
      values.count("version") && values["version"].as<std::uint64_t>() != 1
          ? files.Load(values["version"].as<std::uint64_t>())
          : (values.count("version") ? Result<Model>(Model::ColdStart()) : files.LoadActive());
  if (!model) {
    std::cerr << "foldrank model show: " << model.error().ToString() << "\n";
    return 1;
  }
  std::cout << model->ToJson() << "\n";
  return 0;
}

int Activate(const std::vector<std::string>& args) {
  CommandLine command_line("foldrank model activate --data DIR VERSION",
                           "Makes a stored model version the active one (e.g. to roll back).");
  command_line.Options()("data,d", po::value<std::string>()->required(), "data directory")(
      "version", po::value<std::uint64_t>()->required(), "model version");
  command_line.Positional("version", 1);
  if (auto exit_code = command_line.Parse(args)) return *exit_code;
  ModelFiles files(command_line.values()["data"].as<std::string>());
  Status status = files.Activate(command_line.values()["version"].as<std::uint64_t>());
  if (!status.ok()) {
    std::cerr << "foldrank model activate: " << status.ToString() << "\n";
    return 1;
  }
  std::cout << "model v" << command_line.values()["version"].as<std::uint64_t>() << " is active\n";
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
