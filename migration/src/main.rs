//! Applies Accord's migrations to the database named by `ACCORD_DATABASE_URL`.

use sea_orm_migration::sea_orm::Database;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let Ok(url) = std::env::var("ACCORD_DATABASE_URL") else {
        eprintln!("ACCORD_DATABASE_URL is not set");
        return std::process::ExitCode::FAILURE;
    };
    let result = async {
        let db = Database::connect(&url).await?;
        accord_migration::migrate(&db).await
    }
    .await;
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("migration failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
