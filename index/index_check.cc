#include "index/index_check.h"

#include "index/internal/guarded.h"
#include "index/internal/lucene.h"

namespace foldrank {
namespace {

std::string Utf8(const Lucene::String& text) { return Lucene::StringUtils::toUTF8(text); }

// The first failure of a segment's part checks, if any.
std::string SegmentDamage(const Lucene::SegmentInfoStatusPtr& segment) {
  if (!segment->openReaderPassed) return "cannot be opened";
  auto failed = [](const auto& status, const char* part) -> std::string {
    if (!status || status->error.isNull()) return "";
    return std::string(part) + ": " + Utf8(status->error.getError());
  };
  for (std::string problem :
       {failed(segment->fieldNormStatus, "norms"), failed(segment->termIndexStatus, "terms"),
        failed(segment->storedFieldStatus, "stored fields"),
        failed(segment->termVectorStatus, "term vectors")}) {
    if (!problem.empty()) return problem;
  }
  return "";
}

}  // namespace

Result<IndexCheck> CheckIndexFiles(const std::filesystem::path& directory) {
  if (!std::filesystem::is_directory(directory)) {
    return Status::NotFound("no index directory " + directory.string());
  }
  return Guarded("check index", [&]() -> Result<IndexCheck> {
    auto lucene_directory =
        Lucene::FSDirectory::open(Lucene::StringUtils::toUnicode(directory.string()));
    auto checker = Lucene::newLucene<Lucene::CheckIndex>(lucene_directory);
    const Lucene::IndexStatusPtr status = checker->checkIndex();
    IndexCheck check;
    if (status->missingSegments) {
      if (!Lucene::IndexReader::indexExists(lucene_directory)) {
        return Status::NotFound("no index in " + directory.string());
      }
      check.damage.push_back("the segments file cannot be read");
    }
    if (status->cantOpenSegments) check.damage.push_back("the segments file cannot be opened");
    if (status->missingSegmentVersion) check.damage.push_back("the segments file has no version");
    check.segments = status->numSegments;
    for (const Lucene::SegmentInfoStatusPtr& segment : status->segmentInfos) {
      const std::string damage = SegmentDamage(segment);
      if (!damage.empty()) {
        check.damage.push_back("segment " + Utf8(segment->name) + ": " + damage);
      } else {
        check.documents += segment->docCount - segment->numDeleted;
      }
    }
    if (check.damage.empty() && !status->clean) {
      check.damage.push_back(std::to_string(status->numBadSegments) + " damaged segments");
    }
    return check;
  });
}

}  // namespace foldrank
