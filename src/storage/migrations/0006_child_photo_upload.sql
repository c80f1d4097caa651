-- Child registry (issue 3): the child's photo and staged import uploads.
--
-- child_photo: at most one photo per child, the image sealed with the key ring's field cipher
-- (XChaCha20-Poly1305, context "child.photo"): a child's face is sensitive personal data (PIPL
-- Art 28). version counts replacements; every set/remove is an audit entry with the sha256 and
-- size before and after, and every view a child.photo_read entry.
CREATE TABLE child_photo (
  child_id BIGINT PRIMARY KEY REFERENCES child(id),
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data_enc {{BLOB}} NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT
);

-- import_upload: a spreadsheet kept between preview, dry run and import (several servers on one
-- PostgreSQL see the same uploads). The token is random and shown to its owner only; rows
-- expire (expires_at, epoch ms) and are deleted by the next upload or by the import that used them.
-- The file itself is sealed (context "import.upload"): it holds ID numbers and phones.
CREATE TABLE import_upload (
  token TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  owner_user_id BIGINT NOT NULL,
  file_name TEXT NOT NULL DEFAULT '',
  size_bytes BIGINT NOT NULL,
  data_enc {{BLOB}} NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX import_upload_expires ON import_upload(expires_at);
