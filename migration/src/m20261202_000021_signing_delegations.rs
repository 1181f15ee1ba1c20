//! Acting signatories: a Secretary General delegates signing to a named
//! person for a period.
//!
//! - `signing_delegations`: one row per delegation, never deleted: the
//!   organisation, who delegated and to whom (token subject and name), the
//!   acting title per language (JSON `Texts`, e.g. "Acting Secretary
//!   General"), the period `[starts_at, ends_at)`, and its revocation.
//! - `signatures` gain what a signature under a delegation was made as:
//!   the delegation, the name of the Secretary General signed for and the
//!   acting title, copied when signing so that the record never changes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SigningDelegations {
    Table,
    Id,
    OrgCode,
    DelegatorSub,
    DelegatorName,
    DelegateSub,
    DelegateName,
    ActingTitle,
    StartsAt,
    EndsAt,
    CreatedAt,
    RevokedAt,
    RevokedByName,
}

#[derive(DeriveIden)]
enum Signatures {
    Table,
    DelegationId,
    ActingFor,
    ActingTitle,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use SigningDelegations as D;
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(string_len(D::Id, 36).primary_key())
                    .col(string_len(D::OrgCode, 16))
                    .col(string_len(D::DelegatorSub, 200))
                    .col(string_len(D::DelegatorName, 200))
                    .col(string_len(D::DelegateSub, 200))
                    .col(string_len(D::DelegateName, 200))
                    .col(text(D::ActingTitle))
                    .col(timestamp_with_time_zone(D::StartsAt))
                    .col(timestamp_with_time_zone(D::EndsAt))
                    .col(timestamp_with_time_zone(D::CreatedAt))
                    .col(timestamp_with_time_zone_null(D::RevokedAt))
                    .col(string_len_null(D::RevokedByName, 200))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("signing_delegations_org_delegate")
                    .table(D::Table)
                    .col(D::OrgCode)
                    .col(D::DelegateSub)
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per ALTER TABLE.
        for mut column in [
            string_len_null(Signatures::DelegationId, 36),
            string_len_null(Signatures::ActingFor, 200),
            text_null(Signatures::ActingTitle),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Signatures::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Signatures::ActingTitle,
            Signatures::ActingFor,
            Signatures::DelegationId,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Signatures::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(SigningDelegations::Table).to_owned())
            .await
    }
}
