// Reading one YAML document into a kernel_yaml::Node tree; see kernel_yaml.h.
#include "kernel/kernel_yaml.h"

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <exception>
#include <new>
#include <sstream>
#include <utility>

namespace fable::kernel_yaml {

namespace {

// Thrown by the handler to stop the parser; caught in read().
struct Refusal {
  int line;
  int column;
  std::string message;
};

class TreeBuilder : public YAML::EventHandler {
 public:
  int documents() const { return documents_; }
  Node take_root() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark& mark) override {
    ++documents_;
    if (documents_ > 1) {
      throw Refusal{mark.line, mark.column,
                    "a second YAML document starts here; a kernel file holds exactly one"};
    }
  }
  void OnDocumentEnd() override {
    if (!anchor_names_.empty()) {
      throw Refusal{
          first_anchor_.line, first_anchor_.column,
          fmt::format("YAML anchors (&{}) are not allowed in a kernel", anchor_names_.front())};
    }
  }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    Node n;
    n.kind = Node::Kind::kNull;
    set_mark(n, mark);
    add(std::move(n));
  }

  // Aliases are refused at once (nothing is ever expanded, so an alias bomb
  // costs no more than its text). Anchors are noted and refused at the end of
  // the document, so that a file that uses one gets the clearer alias error.
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const std::string name =
        anchor >= 1 && anchor <= anchor_names_.size() ? anchor_names_[anchor - 1] : "name";
    throw Refusal{mark.line, mark.column,
                  fmt::format("YAML aliases (*{}) are not allowed in a kernel; write the value "
                              "out in full",
                              name)};
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                const std::string& value) override {
    Node n;
    n.kind = Node::Kind::kScalar;
    set_mark(n, mark);
    n.tag = tag;
    n.value = value;
    add(std::move(n));
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    open(mark, tag, Node::Kind::kSequence);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    open(mark, tag, Node::Kind::kMapping);
  }
  void OnMapEnd() override { close(); }

  void OnAnchor(const YAML::Mark& mark, const std::string& name) override {
    if (anchor_names_.empty()) first_anchor_ = mark;
    anchor_names_.push_back(name.size() > 40 ? name.substr(0, 40) + "..." : name);
  }

 private:
  static void set_mark(Node& n, const YAML::Mark& mark) {
    n.line = mark.line;
    n.column = mark.column;
  }

  void count(const YAML::Mark& mark) {
    if (++nodes_ > kMaxNodes) {
      throw Refusal{mark.line, mark.column,
                    fmt::format("more than {} YAML nodes; a kernel is far smaller", kMaxNodes)};
    }
  }

  void open(const YAML::Mark& mark, const std::string& tag, Node::Kind kind) {
    count(mark);
    if (static_cast<int>(stack_.size()) >= kMaxDepth) {
      throw Refusal{mark.line, mark.column, fmt::format("nested deeper than {} levels", kMaxDepth)};
    }
    Node n;
    n.kind = kind;
    set_mark(n, mark);
    n.tag = tag;
    stack_.push_back(std::move(n));
  }

  void close() {
    Node n = std::move(stack_.back());
    stack_.pop_back();
    attach(std::move(n));
  }

  void add(Node n) {
    YAML::Mark mark;
    mark.line = n.line;
    mark.column = n.column;
    count(mark);
    attach(std::move(n));
  }

  void attach(Node n) {
    if (stack_.empty()) {
      root_ = std::move(n);
    } else {
      stack_.back().children.push_back(std::move(n));
    }
  }

  int documents_ = 0;
  std::size_t nodes_ = 0;
  std::vector<Node> stack_;
  Node root_;
  std::vector<std::string> anchor_names_;
  YAML::Mark first_anchor_;
};

// yaml-cpp's messages for tab indentation are cryptic ("end of map not found").
std::string tab_hint(std::string_view text, int line) {
  if (line < 0) return {};
  std::size_t start = 0;
  for (int l = 0; l < line; ++l) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  for (std::size_t i = start; i < text.size() && (text[i] == ' ' || text[i] == '\t'); ++i) {
    if (text[i] == '\t') return " (tabs may not be used for indentation; use spaces)";
  }
  return {};
}

}  // namespace

std::string_view kind_name(const Node& n) {
  switch (n.kind) {
    case Node::Kind::kNull:
      return "null";
    case Node::Kind::kScalar:
      return "a scalar";
    case Node::Kind::kSequence:
      return "a list";
    case Node::Kind::kMapping:
      return "a mapping";
  }
  return "?";
}

std::string location(std::string_view source, int line, int column) {
  if (line < 0 || column < 0) return fmt::format("{}: ", source);
  return fmt::format("{}:{}:{}: ", source, line + 1, column + 1);
}

Result<Node> read(std::string_view text, std::string_view source) {
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    TreeBuilder builder;
    while (parser.HandleNextDocument(builder)) {
    }
    if (builder.documents() == 0) {
      return Status::Invalid(
          fmt::format("{}: empty document: a kernel needs schema, name, version, articles and "
                      "params",
                      source));
    }
    return builder.take_root();
  } catch (const Refusal& r) {
    return Status::Invalid(location(source, r.line, r.column) + r.message);
  } catch (const YAML::ParserException& e) {
    // Includes DeepRecursion. yaml-cpp's own messages are terse; name the layer.
    return Status::Invalid(
        location(source, e.mark.line, e.mark.column) +
        fmt::format("YAML syntax error: {}{}", e.msg, tab_hint(text, e.mark.line)));
  } catch (const YAML::Exception& e) {
    return Status::Invalid(location(source, e.mark.line, e.mark.column) +
                           fmt::format("YAML error: {}", e.msg));
  } catch (const std::bad_alloc&) {
    return Status::Invalid(fmt::format("{}: out of memory while reading YAML", source));
  } catch (const std::exception& e) {
    return Status::Invalid(fmt::format("{}: YAML error: {}", source, e.what()));
  } catch (...) {
    return Status::Invalid(fmt::format("{}: YAML error: unknown failure", source));
  }
}

}  // namespace fable::kernel_yaml
