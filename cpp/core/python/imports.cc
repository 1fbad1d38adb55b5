#include "imports.h"

namespace ap::py {

namespace {

void Collect(const StmtList& body, std::vector<std::string>& out) {
  for (const StmtPtr& s : body) {
    if (!s) continue;
    if (s->kind == Stmt::Kind::kImport) {
      for (const ImportAlias& alias : s->aliases) out.push_back(alias.name);
    } else if (s->kind == Stmt::Kind::kFromImport) {
      out.push_back(s->module);
    }
    Collect(s->body, out);
    Collect(s->orelse, out);
    Collect(s->finalbody, out);
    for (const ExceptHandler& handler : s->handlers) Collect(handler.body, out);
  }
}

}  // namespace

std::vector<std::string> ImportedModules(const Program& program) {
  std::vector<std::string> out;
  Collect(program.body, out);
  return out;
}

}  // namespace ap::py
