//! The HiGlass server API over HTTP (axum): `/api/v1/tileset_info/?d=UUID`,
//! `/api/v1/tiles/?d=UUID.Z.X.Y[.TRANSFORM]` (repeated `d`, as HiGlass batches them),
//! `/api/v1/tilesets/`; and, when a page directory was loaded, the viewer page at `/` with its
//! files under `/static/NAME`. Tiles are computed on tokio's blocking pool, so requests run
//! concurrently; errors are JSON `{"error": "…"}` with a 4xx status (500 when a file fails).

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::assets::Assets;
use crate::catalog::Catalog;
use crate::error::TileError;

/// What the handlers share.
#[derive(Clone, Debug)]
struct AppState {
    catalog: Arc<Catalog>,
    assets: Option<Arc<Assets>>,
}

/// The query string as `(key, value)` pairs, repeated keys kept.
type Pairs = Query<Vec<(String, String)>>;

/// The routes: the API over `catalog`, and the page from `assets` when given (without it, `/`
/// answers 404 saying how to build the page).
pub fn router(catalog: Arc<Catalog>, assets: Option<Arc<Assets>>) -> Router {
    Router::new()
        .route("/api/v1/tileset_info/", get(tileset_info))
        .route("/api/v1/tileset_info", get(tileset_info))
        .route("/api/v1/tiles/", get(tiles))
        .route("/api/v1/tiles", get(tiles))
        .route("/api/v1/tilesets/", get(tilesets))
        .route("/api/v1/tilesets", get(tilesets))
        .route("/", get(index))
        .route("/static/{name}", get(asset))
        .fallback(not_found)
        .with_state(AppState { catalog, assets })
}

/// Serves `router` on `listener` until `shutdown` completes (connections in flight finish).
///
/// # Errors
/// The listener's I/O errors.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await
}

fn values<'a>(pairs: &'a [(String, String)], key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    pairs.iter().filter(move |(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn error_response(error: &TileError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    json_response(status, &json!({"error": error.to_string()}))
}

fn answer(result: Result<Value, TileError>) -> Response {
    match result {
        Ok(value) => json_response(StatusCode::OK, &value),
        Err(error) => error_response(&error),
    }
}

async fn tileset_info(State(state): State<AppState>, Query(pairs): Pairs) -> Response {
    answer(state.catalog.tileset_info(values(&pairs, "d")))
}

async fn tiles(State(state): State<AppState>, Query(pairs): Pairs) -> Response {
    let catalog = Arc::clone(&state.catalog);
    let work = tokio::task::spawn_blocking(move || catalog.tiles(values(&pairs, "d")));
    match work.await {
        Ok(result) => answer(result),
        Err(_) => json_response(StatusCode::INTERNAL_SERVER_ERROR, &json!({"error": "a tile read failed"})),
    }
}

async fn tilesets(State(state): State<AppState>, Query(pairs): Pairs) -> Response {
    let first = |key| values(&pairs, key).next();
    json_response(StatusCode::OK, &state.catalog.list(first("t"), first("dt")))
}

async fn index(State(state): State<AppState>) -> Response {
    page_file(&state, "index.html")
}

async fn asset(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    page_file(&state, &name)
}

fn page_file(state: &AppState, name: &str) -> Response {
    let Some(assets) = &state.assets else {
        let text = "the viewer page is not built: run scripts/web-build, then gzcm serve --open\n";
        return (StatusCode::NOT_FOUND, text).into_response();
    };
    match assets.get(name) {
        Some(file) => {
            let mut response = file.bytes.clone().into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(file.content_type));
            response
        }
        None => (StatusCode::NOT_FOUND, "no such file\n").into_response(),
    }
}

async fn not_found() -> Response {
    json_response(StatusCode::NOT_FOUND, &json!({"error": "no such route; the API is under /api/v1/"}))
}
