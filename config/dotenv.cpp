// The dotenv format as python-dotenv reads it, minus variable expansion inside the file:
//   # comment            KEY=value            export KEY=value
//   KEY="a\nb \"quoted\""   (escapes \n \t \r \" \\; may span lines)
//   KEY='literal'          (no escapes; may span lines)
//   KEY=value # comment    (an unquoted value ends at whitespace followed by '#')
// Error texts name the file and line but never echo the line: .env files hold secrets.

#include <filesystem>
#include <fstream>
#include <iterator>

#include "config/config.hpp"

namespace chitragupt::config {
namespace {

class DotenvParser {
 public:
  DotenvParser(const std::string& text, const std::string& path) : text_(text), path_(path) {}

  Result<std::map<std::string, std::string>> parse() {
    std::map<std::string, std::string> vars;
    while (true) {
      skip_blanks_and_newlines();
      if (at_end()) break;
      if (peek() == '#') {
        skip_to_end_of_line();
        continue;
      }
      entry_line_ = line_;
      skip_export_keyword();
      std::string key = read_key();
      if (key.empty()) return fail("expected KEY=VALUE");
      skip_blanks();
      if (at_end() || peek() != '=') return fail("expected KEY=VALUE");
      ++pos_;
      skip_blanks();
      std::optional<std::string> value;
      if (!at_end() && peek() == '"') {
        value = read_double_quoted();
      } else if (!at_end() && peek() == '\'') {
        value = read_single_quoted();
      } else {
        value = read_unquoted();
      }
      if (!value) return fail(error_);
      vars[key] = *value;
    }
    return vars;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

  void advance() {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  void skip_blanks() {
    while (!at_end() && is_blank(peek())) ++pos_;
  }
  void skip_blanks_and_newlines() {
    while (!at_end() && (is_blank(peek()) || peek() == '\n')) advance();
  }
  void skip_to_end_of_line() {
    while (!at_end() && peek() != '\n') ++pos_;
  }

  void skip_export_keyword() {
    static const std::string kExport = "export";
    if (text_.compare(pos_, kExport.size(), kExport) == 0 && pos_ + kExport.size() < text_.size() &&
        (text_[pos_ + kExport.size()] == ' ' || text_[pos_ + kExport.size()] == '\t')) {
      pos_ += kExport.size();
      skip_blanks();
    }
  }

  std::string read_key() {
    size_t start = pos_;
    auto is_key_char = [](char c, bool first) {
      bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
      return alpha || (!first && ((c >= '0' && c <= '9') || c == '.'));
    };
    while (!at_end() && is_key_char(peek(), pos_ == start)) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  std::optional<std::string> read_double_quoted() {
    ++pos_;  // opening quote
    std::string value;
    while (!at_end() && peek() != '"') {
      if (peek() == '\\' && pos_ + 1 < text_.size()) {
        char next = text_[pos_ + 1];
        switch (next) {
          case 'n':
            value += '\n';
            break;
          case 't':
            value += '\t';
            break;
          case 'r':
            value += '\r';
            break;
          case '"':
            value += '"';
            break;
          case '\\':
            value += '\\';
            break;
          default:
            value += '\\';
            value += next;
            break;  // unknown escapes stay as written
        }
        advance();
        advance();
        continue;
      }
      value += peek();
      advance();
    }
    if (at_end()) {
      error_ = "unterminated double-quoted value";
      return std::nullopt;
    }
    ++pos_;  // closing quote
    if (!finish_quoted_line()) return std::nullopt;
    return value;
  }

  std::optional<std::string> read_single_quoted() {
    ++pos_;
    std::string value;
    while (!at_end() && peek() != '\'') {
      value += peek();
      advance();
    }
    if (at_end()) {
      error_ = "unterminated single-quoted value";
      return std::nullopt;
    }
    ++pos_;
    if (!finish_quoted_line()) return std::nullopt;
    return value;
  }

  // After a closing quote only blanks and a comment may follow on the line.
  bool finish_quoted_line() {
    skip_blanks();
    if (at_end() || peek() == '\n') return true;
    if (peek() == '#') {
      skip_to_end_of_line();
      return true;
    }
    error_ = "unexpected characters after the closing quote";
    return false;
  }

  std::string read_unquoted() {
    size_t start = pos_;
    skip_to_end_of_line();
    std::string value = text_.substr(start, pos_ - start);
    for (size_t i = 1; i < value.size(); ++i) {
      if (value[i] == '#' && is_blank(value[i - 1])) {
        value.resize(i);
        break;
      }
    }
    while (!value.empty() && is_blank(value.back())) value.pop_back();
    return value;
  }

  Status fail(const std::string& what) const {
    return Status::error("env file '" + path_ + "', line " + std::to_string(entry_line_) + ": " +
                         what);
  }

  const std::string& text_;
  const std::string& path_;
  size_t pos_ = 0;
  int line_ = 1;
  int entry_line_ = 1;
  std::string error_;
};

}  // namespace

Result<std::map<std::string, std::string>> read_dotenv(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::error("env file '" + path + "' not found");
  }
  std::ifstream in(path, std::ios::binary);
  if (!std::filesystem::is_regular_file(path, ec) || !in) {
    return Status::error("cannot read env file '" + path + "'");
  }
  std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return Status::error("cannot read env file '" + path + "'");
  return parse_dotenv(content, path);
}

Result<std::map<std::string, std::string>> parse_dotenv(const std::string& text,
                                                        const std::string& source) {
  return DotenvParser(text, source).parse();
}

}  // namespace chitragupt::config
