#include "sources/json_text.hpp"

#include <optional>
#include <vector>

#include "sources/decimal_text.hpp"

namespace chitragupt::ccloud {
namespace {

// Builds the DOM like nlohmann's own SAX DOM parser, except for float literals.
class DomBuilder {
 public:
  using json = nlohmann::json;

  explicit DomBuilder(NumberMode mode) : mode_(mode) {}

  bool null() { return put(json(nullptr)); }
  bool boolean(bool v) { return put(json(v)); }
  bool number_integer(json::number_integer_t v) { return put(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return put(json(v)); }
  bool number_float(json::number_float_t v, const json::string_t& literal) {
    return mode_ == NumberMode::exact_text ? put(json(literal)) : put(json(v));
  }
  bool string(json::string_t& v) { return put(json(std::move(v))); }
  bool binary(json::binary_t& v) { return put(json::binary(std::move(v))); }
  bool start_object(std::size_t) {
    json* added = put_container(json::object());
    stack_.push_back(added);
    return true;
  }
  bool key(json::string_t& k) {
    pending_key_ = std::move(k);
    return true;
  }
  bool end_object() {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t) {
    json* added = put_container(json::array());
    stack_.push_back(added);
    return true;
  }
  bool end_array() {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    error_ = "invalid JSON at byte " + std::to_string(position) + ": " + short_reason(e.what());
    return false;
  }

  json& root() { return root_; }
  const std::string& error() const { return error_; }

 private:
  // nlohmann's messages quote the offending token; keep only the reason, never body text.
  static std::string short_reason(const std::string& what) {
    size_t colon = what.rfind(": ");
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    size_t quote = reason.find(";");
    if (quote != std::string::npos) reason = reason.substr(0, quote);
    return reason;
  }

  json* put_container(json value) {
    put(std::move(value));
    return last_;
  }

  bool put(json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      last_ = &root_;
    } else if (stack_.back()->is_array()) {
      stack_.back()->push_back(std::move(value));
      last_ = &stack_.back()->back();
    } else {
      json& slot = (*stack_.back())[pending_key_];
      slot = std::move(value);
      last_ = &slot;
    }
    return true;
  }

  NumberMode mode_;
  json root_;
  std::vector<json*> stack_;
  json* last_ = nullptr;
  std::string pending_key_;
  std::string error_;
};

}  // namespace

Result<nlohmann::json> parse_json(const std::string& text, NumberMode mode) {
  DomBuilder builder(mode);
  bool ok = nlohmann::json::sax_parse(text, &builder, nlohmann::json::input_format_t::json,
                                      /*strict=*/true, /*ignore_comments=*/false);
  if (!ok) {
    return Status::error(builder.error().empty() ? "invalid JSON" : builder.error());
  }
  return std::move(builder.root());
}

std::optional<std::string> decimal_text_of(const nlohmann::json& value) {
  if (value.is_string()) return canonical_decimal(value.get<std::string>());
  if (value.is_number_integer()) return value.dump();
  if (value.is_number_float()) return canonical_decimal(value.dump());
  return std::nullopt;
}

}  // namespace chitragupt::ccloud
