//! Reference data as of 2024: the two secretariats, the 28 CICA member
//! states, and the observer states and organisations (SPEC §1).
//!
//! An administrator may edit these rows later; this migration only seeds them.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Code,
    Kind,
    Name,
}

const SECRETARIATS: &[(&str, &str, &str)] = &[
    (
        "CICA",
        "SECRETARIAT",
        "Secretariat of the Conference on Interaction and Confidence Building Measures in Asia",
    ),
    (
        "SCO",
        "COUNTERPART",
        "Secretariat of the Shanghai Cooperation Organisation",
    ),
];

const MEMBER_STATES: &[(&str, &str)] = &[
    ("AFG", "Afghanistan"),
    ("AZE", "Azerbaijan"),
    ("BHR", "Bahrain"),
    ("BGD", "Bangladesh"),
    ("KHM", "Cambodia"),
    ("CHN", "China"),
    ("EGY", "Egypt"),
    ("IND", "India"),
    ("IRN", "Iran"),
    ("IRQ", "Iraq"),
    ("ISR", "Israel"),
    ("JOR", "Jordan"),
    ("KAZ", "Kazakhstan"),
    ("KGZ", "Kyrgyzstan"),
    ("KWT", "Kuwait"),
    ("MNG", "Mongolia"),
    ("PAK", "Pakistan"),
    ("PSE", "Palestine"),
    ("QAT", "Qatar"),
    ("RUS", "Russia"),
    ("KOR", "Republic of Korea"),
    ("LKA", "Sri Lanka"),
    ("TJK", "Tajikistan"),
    ("THA", "Thailand"),
    ("TUR", "Türkiye"),
    ("ARE", "United Arab Emirates"),
    ("UZB", "Uzbekistan"),
    ("VNM", "Viet Nam"),
];

const OBSERVERS: &[(&str, &str)] = &[
    ("BLR", "Belarus"),
    ("IDN", "Indonesia"),
    ("JPN", "Japan"),
    ("LAO", "Lao People's Democratic Republic"),
    ("MYS", "Malaysia"),
    ("PHL", "Philippines"),
    ("TKM", "Turkmenistan"),
    ("UKR", "Ukraine"),
    ("USA", "United States of America"),
    ("IOM", "International Organization for Migration"),
    ("LAS", "League of Arab States"),
    (
        "OSCE",
        "Organization for Security and Co-operation in Europe",
    ),
    ("TURKPA", "Parliamentary Assembly of Turkic States"),
    ("UN", "United Nations"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let rows = SECRETARIATS
            .iter()
            .copied()
            .chain(MEMBER_STATES.iter().map(|&(c, n)| (c, "MEMBER_STATE", n)))
            .chain(OBSERVERS.iter().map(|&(c, n)| (c, "OBSERVER", n)));
        let mut insert = Query::insert()
            .into_table(Organizations::Table)
            .columns([
                Organizations::Code,
                Organizations::Kind,
                Organizations::Name,
            ])
            .to_owned();
        for (code, kind, name) in rows {
            insert
                .values([code.into(), kind.into(), name.into()])
                .map_err(|error| DbErr::Migration(error.to_string()))?;
        }
        manager.exec_stmt(insert).await
    }
}
