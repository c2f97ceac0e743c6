// Damaged data directories, end to end: `foldrank check` names the file and the
// damage, and `foldrank serve` refuses to start and changes nothing.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>

#include "tests/cli/cli_fixture.h"

namespace foldrank {
namespace {

std::string Bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every regular file under `dir` with its bytes: what "changes nothing" compares.
std::map<std::string, std::string> Snapshot(const std::filesystem::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    // SQLite's shared-memory index is rebuilt by any reader: not the data.
    if (entry.is_regular_file() && !name.ends_with("-shm")) {
      files[entry.path().string()] = Bytes(entry.path());
    }
  }
  return files;
}

void Overwrite(const std::filesystem::path& path, std::size_t offset, const std::string& bytes) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(static_cast<std::streamoff>(offset));
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void Execute(const std::filesystem::path& ledger, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(ledger.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

class DataCheckTest : public CliTest {
 protected:
  // A data directory with documents, a ledger holding an imported model, and a key.
  void SetUp() override {
    const std::string corpus =
        std::string(std::getenv("FOLDRANK_SOURCE_DIR")) + "/sample_corpus/quillstack.jsonl";
    ASSERT_EQ(Foldrank({"index", "--data", Data(), corpus}).exit_code, 0);
    ProcessRun shown = Foldrank({"model", "show", "--data", Data()});
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    const std::string model = WriteJsonl("model.json", shown.out);
    ProcessRun imported = Foldrank({"model", "import", "--data", Data(), model});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    std::ofstream(data() / "user.key", std::ios::binary) << std::string(16, 'k');
    ProcessRun check = Foldrank({"check", "--data", Data()});
    ASSERT_EQ(check.exit_code, 0) << check.out << check.err;
  }

  std::filesystem::path data() const { return Data(); }
  std::string Path(const std::string& file) const { return (data() / file).string(); }

  // check names the file and the damage; serve refuses and leaves every byte alone.
  void ExpectDiagnosedAndRefused(const std::string& file, const std::string& damage) {
    ProcessRun check = Foldrank({"check", "--data", Data()});
    EXPECT_EQ(check.exit_code, 1) << check.out;
    EXPECT_NE(check.out.find((data() / file).string() + ": DAMAGED: "), std::string::npos)
        << check.out;
    EXPECT_NE(check.out.find(damage), std::string::npos) << check.out;

    const auto before = Snapshot(data());
    ProcessRun serve = Foldrank({"serve", "--data", Data(), "--port", "0"}, "", 60);
    EXPECT_EQ(serve.exit_code, 1) << serve.err;
    EXPECT_NE(serve.err.find("damaged data"), std::string::npos) << serve.err;
    EXPECT_NE(serve.err.find((data() / file).string()), std::string::npos) << serve.err;
    EXPECT_EQ(Snapshot(data()), before) << "serve changed a damaged directory";
  }
};

TEST_F(DataCheckTest, ASoundDirectoryIsReportedFileByFile) {
  ProcessRun check = Foldrank({"check", "--data", Data()});
  EXPECT_EQ(check.exit_code, 0);
  EXPECT_NE(check.out.find("ledger.sqlite: ok (schema v7"), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("index: ok ("), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("user.key: ok"), std::string::npos) << check.out;
  ProcessRun quick = Foldrank({"check", "--data", Data(), "--quick"});
  EXPECT_EQ(quick.exit_code, 0) << quick.out;
}

TEST_F(DataCheckTest, ACorruptedLedgerPage) {
  // The models table's root page, header and all.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(Path("ledger.sqlite").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* root = nullptr;
  sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_master WHERE name = 'models'", -1, &root,
                     nullptr);
  ASSERT_EQ(sqlite3_step(root), SQLITE_ROW);
  const int page = sqlite3_column_int(root, 0);
  sqlite3_finalize(root);
  sqlite3_close(db);
  Overwrite(data() / "ledger.sqlite", static_cast<std::size_t>(page - 1) * 4096,
            std::string(512, '\xde'));
  ExpectDiagnosedAndRefused("ledger.sqlite", "pages: ");
}

TEST_F(DataCheckTest, ATruncatedLedger) {
  std::filesystem::resize_file(data() / "ledger.sqlite", 3 * 4096);
  ExpectDiagnosedAndRefused("ledger.sqlite", "");
}

TEST_F(DataCheckTest, ALedgerThatIsNotADatabase) {
  Overwrite(data() / "ledger.sqlite", 0, "this is not an SQLite file");
  ExpectDiagnosedAndRefused("ledger.sqlite", "not a readable SQLite database");
}

TEST_F(DataCheckTest, AStoredModelThatDoesNotLoad) {
  Execute(data() / "ledger.sqlite",
          "UPDATE models SET json = '{\"format\": \"foldrank-model\", \"base\": 7}' "
          "WHERE version = (SELECT CAST(value AS INTEGER) FROM settings "
          "WHERE key = 'active_version')");
  ExpectDiagnosedAndRefused("ledger.sqlite", "does not load");
}

TEST_F(DataCheckTest, AClickCountLogRowThatDoesNotRead) {
  Execute(data() / "ledger.sqlite",
          "INSERT INTO click_count_deltas(deltas) VALUES ('[[\"q\", \"d\", 1]]')");
  ExpectDiagnosedAndRefused("ledger.sqlite", "click_count_deltas row 1 does not read");
}

TEST_F(DataCheckTest, ATruncatedIndexSegment) {
  std::filesystem::path largest;
  std::uintmax_t largest_size = 0;
  for (const auto& entry : std::filesystem::directory_iterator(data() / "index")) {
    if (entry.file_size() > largest_size) largest = entry.path(), largest_size = entry.file_size();
  }
  ASSERT_GT(largest_size, 1000u);
  std::filesystem::resize_file(largest, largest_size / 2);
  ExpectDiagnosedAndRefused("index", "");
}

TEST_F(DataCheckTest, AUserKeyOfTheWrongSize) {
  std::ofstream(data() / "user.key", std::ios::binary | std::ios::trunc) << "short";
  ExpectDiagnosedAndRefused("user.key", "5 bytes, not a 16-byte key");
}

}  // namespace
}  // namespace foldrank
