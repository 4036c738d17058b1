//! The actix side of the health endpoints: routes, query and `Accept` handling, headers.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::web::{self, ServiceConfig};
use actix_web::{HttpRequest, HttpResponse, guard};

use super::Health;
use super::report::{Query, Verdict};

const HEALTH_JSON: &str = "application/health+json";

#[derive(Debug, Clone, Copy)]
enum Probe {
    Live,
    Ready,
}

pub(super) fn mount(health: &Health, config: &mut ServiceConfig) {
    let route = |probe: Probe, single: bool| {
        let health = health.clone();
        web::route()
            .guard(guard::Any(guard::Get()).or(guard::Head()))
            .to(move |req: HttpRequest| {
                let health = health.clone();
                async move { respond(&health, probe, single, &req).await }
            })
    };
    let paths = health.paths();
    config
        .service(web::resource(paths.livez.as_str()).route(route(Probe::Live, false)))
        .service(web::resource(paths.healthz.as_str()).route(route(Probe::Ready, false)))
        .service(web::resource(paths.readyz.as_str()).route(route(Probe::Ready, false)))
        .service(
            web::resource(format!("{}/{{check}}", paths.readyz)).route(route(Probe::Ready, true)),
        );
}

async fn respond(health: &Health, probe: Probe, single: bool, req: &HttpRequest) -> HttpResponse {
    let query = Query::parse(req.query_string());
    let only = single.then(|| req.match_info().get("check").unwrap_or_default());
    if let Some(name) = only
        && !health.runner().has_check(name)
    {
        return finish(
            &mut HttpResponse::NotFound(),
            "text/plain; charset=utf-8",
            "unknown check\n".into(),
            req,
        );
    }
    let report;
    let verdict = match probe {
        Probe::Live => Verdict::alive(),
        Probe::Ready => {
            report = if health.runner().is_empty() {
                None
            } else {
                Some(health.runner().report().await)
            };
            match &report {
                Some(report) => Verdict::new(report, only, &query, health.is_draining()),
                None => Verdict {
                    draining: health.is_draining(),
                    ..Verdict::alive()
                },
            }
        }
    };
    let mut builder = if verdict.passed() {
        HttpResponse::Ok()
    } else {
        HttpResponse::build(StatusCode::SERVICE_UNAVAILABLE)
    };
    let (content_type, body) = if wants_json(req) {
        (HEALTH_JSON, verdict.json())
    } else {
        ("text/plain; charset=utf-8", verdict.text(query.verbose))
    };
    finish(&mut builder, content_type, body, req)
}

fn finish(
    builder: &mut actix_web::HttpResponseBuilder,
    content_type: &'static str,
    body: String,
    req: &HttpRequest,
) -> HttpResponse {
    builder
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if req.method() == Method::HEAD {
        // Same headers, no body (actix does not strip bodies in every setup).
        builder.finish()
    } else {
        builder.body(body)
    }
}

fn wants_json(req: &HttpRequest) -> bool {
    req.headers()
        .get_all(header::ACCEPT)
        .filter_map(|value: &HeaderValue| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|item| {
            item.split(';')
                .next()
                .is_some_and(|media| media.trim().eq_ignore_ascii_case(HEALTH_JSON))
        })
}
