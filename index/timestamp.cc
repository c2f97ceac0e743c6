#include "index/timestamp.h"

#include <cstdio>

namespace foldrank {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t DaysFromCivil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Reads exactly `width` decimal digits at text[pos]; advances pos on success.
bool ReadDigits(std::string_view text, std::size_t& pos, int width, int& value) {
  if (pos + width > text.size()) return false;
  value = 0;
  for (int i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += width;
  return true;
}

bool Expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

Result<std::int64_t> ParseRfc3339(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument("not an RFC 3339 date-time (" + std::string(why) + ")");
  };
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0;
  if (!ReadDigits(text, pos, 4, year) || !Expect(text, pos, '-') ||
      !ReadDigits(text, pos, 2, month) || !Expect(text, pos, '-') ||
      !ReadDigits(text, pos, 2, day)) {
    return bad("expected YYYY-MM-DD");
  }
  if (month < 1 || month > 12) return bad("month out of range");
  if (day < 1 || day > DaysInMonth(year, month)) return bad("day out of range");
  std::int64_t seconds = DaysFromCivil(year, month, day) * 86400;
  if (pos == text.size()) return seconds;

  const char separator = text[pos++];
  if (separator != 'T' && separator != 't' && separator != ' ') {
    return bad("expected 'T' after the date");
  }
  int hour = 0, minute = 0, second = 0;
  if (!ReadDigits(text, pos, 2, hour) || !Expect(text, pos, ':') ||
      !ReadDigits(text, pos, 2, minute) || !Expect(text, pos, ':') ||
      !ReadDigits(text, pos, 2, second)) {
    return bad("expected hh:mm:ss");
  }
  // 60 is allowed for a leap second, as RFC 3339 does.
  if (hour > 23 || minute > 59 || second > 60) return bad("time out of range");
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const std::size_t digits_start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == digits_start) return bad("expected digits after '.'");
  }
  if (pos >= text.size()) return bad("missing time zone ('Z' or +hh:mm)");
  int offset_seconds = 0;
  const char zone = text[pos++];
  if (zone == '+' || zone == '-') {
    int offset_hours = 0, offset_minutes = 0;
    if (!ReadDigits(text, pos, 2, offset_hours) || !Expect(text, pos, ':') ||
        !ReadDigits(text, pos, 2, offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
      return bad("bad time zone offset");
    }
    offset_seconds = (offset_hours * 3600 + offset_minutes * 60) * (zone == '+' ? 1 : -1);
  } else if (zone != 'Z' && zone != 'z') {
    return bad("bad time zone");
  }
  if (pos != text.size()) return bad("trailing characters");
  seconds += hour * 3600 + minute * 60 + second - offset_seconds;
  return seconds;
}

std::string FormatRfc3339(std::int64_t unix_seconds) {
  std::int64_t days = unix_seconds / 86400;
  std::int64_t rest = unix_seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    --days;
  }
  // Inverse of DaysFromCivil (Howard Hinnant's civil_from_days).
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned day_of_era = static_cast<unsigned>(z - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2);
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%04lld-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<long long>(year), month, day, static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return buffer;
}

}  // namespace foldrank
