#pragma once
// A module's table whose rows belong to a row of another table (attachments, timelines): its name and
// the column holding the owner's id. Both are code constants, never input: the repositories that take
// one write them into their SQL.

namespace th::repo {

struct OwnedTable {
  const char* table;
  const char* owner_column;
};

}  // namespace th::repo
