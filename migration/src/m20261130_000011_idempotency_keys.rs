//! Idempotency keys: `idempotency_keys` holds, per person (`subject`, the
//! token's `sub`) and key (`key`, the `Idempotency-Key` header), the
//! SHA-256 of the request that used it (`request_sha256`), when
//! (`created_at`, RFC 3339 UTC), and the answer sent (`response`, the JSON
//! body; null until recorded). The row is written in the same transaction
//! as the change the request made, so a retry can never make it twice.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Subject,
    Key,
    RequestSha256,
    CreatedAt,
    Response,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .col(string_len(IdempotencyKeys::Subject, 200))
                    .col(string_len(IdempotencyKeys::Key, 255))
                    .col(string_len(IdempotencyKeys::RequestSha256, 64))
                    .col(string_len(IdempotencyKeys::CreatedAt, 40))
                    .col(text_null(IdempotencyKeys::Response))
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::Subject)
                            .col(IdempotencyKeys::Key),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotency_keys_created_at")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::CreatedAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned())
            .await?;
        Ok(())
    }
}
