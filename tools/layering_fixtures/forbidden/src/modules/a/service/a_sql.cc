const char* kSql =
    "UPDATE child SET name = $1 "
    "WHERE id = $2";
