#include "sim/promql.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

namespace ccloud_sim {

namespace {

struct Token {
  enum class Type {
    kIdent,
    kString,
    kNumber,
    kLParen,
    kRParen,
    kLBrace,
    kRBrace,
    kLBracket,
    kRBracket,
    kComma,
    kMatchOp,
    kOperator,
    kEnd
  };
  Type type;
  std::string text;
};

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}
bool ident_char(char c) { return ident_start(c) || std::isdigit(static_cast<unsigned char>(c)); }

// Splits `text` into tokens; false with `error` for text that is not PromQL.
bool tokenize(std::string_view text, std::vector<Token>& tokens, std::string& error) {
  using T = Token::Type;
  std::vector<char> open;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (ident_start(c)) {
      size_t j = i;
      while (j < text.size() && ident_char(text[j])) ++j;
      tokens.push_back({T::kIdent, std::string(text.substr(i, j - i))});
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      size_t j = i;
      while (j < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '.')) {
        ++j;
      }
      tokens.push_back({T::kNumber, std::string(text.substr(i, j - i))});
      i = j;
    } else if (c == '"' || c == '\'' || c == '`') {
      std::string value;
      size_t j = i + 1;
      bool closed = false;
      while (j < text.size()) {
        if (text[j] == '\\' && c != '`' && j + 1 < text.size()) {
          const char e = text[j + 1];
          value += e == 'n' ? '\n' : e == 't' ? '\t' : e;
          j += 2;
        } else if (text[j] == c) {
          closed = true;
          ++j;
          break;
        } else {
          value += text[j++];
        }
      }
      if (!closed) {
        error = "unterminated quoted string";
        return false;
      }
      tokens.push_back({T::kString, value});
      i = j;
    } else if (c == '(' || c == '{' || c == '[') {
      open.push_back(c);
      tokens.push_back({c == '('   ? T::kLParen
                        : c == '{' ? T::kLBrace
                                   : T::kLBracket,
                        std::string(1, c)});
      ++i;
    } else if (c == ')' || c == '}' || c == ']') {
      const char want = c == ')' ? '(' : c == '}' ? '{' : '[';
      if (open.empty() || open.back() != want) {
        error = std::string("unexpected '") + c + "'";
        return false;
      }
      open.pop_back();
      tokens.push_back({c == ')'   ? T::kRParen
                        : c == '}' ? T::kRBrace
                                   : T::kRBracket,
                        std::string(1, c)});
      ++i;
    } else if (c == ',') {
      tokens.push_back({T::kComma, ","});
      ++i;
    } else if (c == '=' || c == '!') {
      std::string op(1, c);
      if (i + 1 < text.size() && (text[i + 1] == '=' || text[i + 1] == '~')) op += text[i + 1];
      if (op == "!") {
        error = "unexpected '!'";
        return false;
      }
      tokens.push_back({op == "==" ? T::kOperator : T::kMatchOp, op});
      i += op.size();
    } else if (std::string_view("+-*/%^<>@").find(c) != std::string_view::npos) {
      tokens.push_back({T::kOperator, std::string(1, c)});
      ++i;
    } else {
      error = std::string("unexpected character '") + c + "'";
      return false;
    }
  }
  if (!open.empty()) {
    error = std::string("unclosed '") + open.back() + "'";
    return false;
  }
  tokens.push_back({T::kEnd, ""});
  return true;
}

bool is_aggregation(const std::string& word) {
  return word == "sum" || word == "min" || word == "max" || word == "avg" || word == "count";
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  ParsedQuery parse() {
    ParsedQuery result;
    auto expr = parse_expr();
    if (expr && peek().type != Token::Type::kEnd) {
      unsupported_ = unsupported_ || peek().type == Token::Type::kOperator ||
                     peek().type == Token::Type::kLBracket;
      if (error_.empty()) error_ = "unexpected '" + peek().text + "' after the expression";
      expr.reset();
    }
    if (expr) {
      result.kind = ParsedQuery::Kind::kOk;
      result.expr = std::move(expr);
    } else {
      result.kind = unsupported_ ? ParsedQuery::Kind::kUnsupported : ParsedQuery::Kind::kMalformed;
      result.error = error_;
    }
    return result;
  }

 private:
  using T = Token::Type;

  const Token& peek(size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& take() { return tokens_[std::min(pos_++, tokens_.size() - 1)]; }
  bool accept(T type) {
    if (peek().type != type) return false;
    ++pos_;
    return true;
  }
  std::unique_ptr<QueryExpr> fail(const std::string& message, bool unsupported = false) {
    if (error_.empty()) error_ = message;
    unsupported_ = unsupported_ || unsupported;
    return nullptr;
  }

  std::unique_ptr<QueryExpr> parse_expr() {
    const Token& first = peek();
    if (first.type == T::kIdent && is_aggregation(first.text) &&
        (peek(1).type == T::kLParen || peek(1).text == "by" || peek(1).text == "without")) {
      return parse_aggregation();
    }
    if (first.type == T::kIdent && peek(1).type == T::kLParen) {
      return fail("function " + first.text + "() is not supported", true);
    }
    if (first.type == T::kIdent || first.type == T::kLBrace) return parse_selector();
    if (first.type == T::kNumber || first.type == T::kOperator || first.type == T::kLParen) {
      return fail("expression not supported", true);
    }
    return fail(first.type == T::kEnd ? "empty query" : "unexpected '" + first.text + "'");
  }

  bool parse_grouping(QueryExpr& expr) {
    expr.without = take().text == "without";
    if (!accept(T::kLParen)) {
      fail("expected '(' after by/without");
      return false;
    }
    while (peek().type == T::kIdent) {
      expr.grouping.push_back(take().text);
      if (!accept(T::kComma)) break;
    }
    if (!accept(T::kRParen)) {
      fail("expected label name or ')' in grouping");
      return false;
    }
    return true;
  }

  std::unique_ptr<QueryExpr> parse_aggregation() {
    auto expr = std::make_unique<QueryExpr>();
    expr->aggregation = take().text;
    bool grouped = false;
    if (peek().type == T::kIdent && (peek().text == "by" || peek().text == "without")) {
      if (!parse_grouping(*expr)) return nullptr;
      grouped = true;
    }
    if (!accept(T::kLParen)) return fail("expected '(' after " + expr->aggregation);
    expr->inner = parse_expr();
    if (!expr->inner) return nullptr;
    if (!accept(T::kRParen)) {
      const bool op =
          peek().type == T::kOperator || peek().type == T::kLBracket || peek().type == T::kComma;
      return fail("expected ')' to close " + expr->aggregation, op);
    }
    if (!grouped && peek().type == T::kIdent && (peek().text == "by" || peek().text == "without")) {
      if (!parse_grouping(*expr)) return nullptr;
    }
    return expr;
  }

  std::unique_ptr<QueryExpr> parse_selector() {
    auto expr = std::make_unique<QueryExpr>();
    if (peek().type == T::kIdent) expr->metric = take().text;
    if (accept(T::kLBrace)) {
      while (peek().type == T::kIdent) {
        LabelMatcher m;
        m.label = take().text;
        const Token& op = take();
        if (op.type != T::kMatchOp) return fail("expected =, !=, =~ or !~ after " + m.label);
        m.op = op.text == "="    ? LabelMatcher::Op::kEqual
               : op.text == "!=" ? LabelMatcher::Op::kNotEqual
               : op.text == "=~" ? LabelMatcher::Op::kRegex
                                 : LabelMatcher::Op::kNotRegex;
        const Token& value = take();
        if (value.type != T::kString)
          return fail("expected a quoted string after " + m.label + op.text);
        m.value = value.text;
        if (m.op == LabelMatcher::Op::kRegex || m.op == LabelMatcher::Op::kNotRegex) {
          try {
            std::regex check(m.value);
          } catch (const std::regex_error&) {
            return fail("invalid regular expression \"" + m.value + "\"");
          }
        }
        if (m.label == "__name__" && m.op == LabelMatcher::Op::kEqual && expr->metric.empty()) {
          expr->metric = m.value;
        }
        expr->matchers.push_back(m);
        if (!accept(T::kComma)) break;
      }
      if (!accept(T::kRBrace)) return fail("expected label matcher or '}'");
    }
    if (expr->metric.empty()) {
      return fail("vector selector must contain a metric name");
    }
    if (peek().type == T::kLBracket) return fail("range vectors are not supported", true);
    return expr;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  std::string error_;
  bool unsupported_ = false;
};

}  // namespace

ParsedQuery parse_query(std::string_view text) {
  std::vector<Token> tokens;
  std::string error;
  if (!tokenize(text, tokens, error)) {
    ParsedQuery result;
    result.kind = ParsedQuery::Kind::kMalformed;
    result.error = error;
    return result;
  }
  return Parser(std::move(tokens)).parse();
}

bool matches_all(const std::vector<LabelMatcher>& matchers, const std::string& metric,
                 const Labels& labels) {
  for (const auto& m : matchers) {
    std::string value;
    if (m.label == "__name__") {
      value = metric;
    } else if (auto it = labels.find(m.label); it != labels.end()) {
      value = it->second;
    }
    bool ok = true;
    switch (m.op) {
      case LabelMatcher::Op::kEqual:
        ok = value == m.value;
        break;
      case LabelMatcher::Op::kNotEqual:
        ok = value != m.value;
        break;
      case LabelMatcher::Op::kRegex:
        ok = std::regex_match(value, std::regex(m.value));
        break;
      case LabelMatcher::Op::kNotRegex:
        ok = !std::regex_match(value, std::regex(m.value));
        break;
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace ccloud_sim
