import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { useNonce } from "./components/nonce";
import { publicEnv } from "./server/env.server";
import appStyles from "./styles/app.css";
import { nextTheme, type Theme } from "./theme";
import { themeFromRequest } from "./server/theme-cookie.server";
import { currentPrincipal } from "./server/auth/guard.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Prompt Builder" },
  { name: "description", content: "Compose, check, version and serve prompts for language models." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  // The shell only: who is logged in, for the header. Every route gates itself (guard.server.ts).
  const principal = await currentPrincipal(request);
  const user = principal?.user ? { name: principal.user.name, role: principal.role } : null;
  return { theme: await themeFromRequest(request), env: publicEnv(), user };
}

function AccountMenu({ user, authEnabled }: { user: { name: string; role: string } | null; authEnabled: boolean }) {
  if (!authEnabled)
    return (
      <>
        <NavLink to="/admin/providers" className="account-link">
          Providers
        </NavLink>
        <span
          className="badge mode-badge"
          title="Single-user mode: there is no login, and anyone who can reach this address can do everything. Do not expose it."
        >
          Single-user
        </span>
      </>
    );
  if (!user) return null;
  return (
    <>
      {user.role === "admin" ? (
        <NavLink to="/admin" className="account-link">
          Admin
        </NavLink>
      ) : null}
      <NavLink to="/settings" className="account-link" title={`Settings (${user.role})`}>
        {user.name}
      </NavLink>
      <Form method="post" action="/logout">
        <button type="submit" className="btn btn-ghost">
          Log out
        </button>
      </Form>
    </>
  );
}

const THEME_LABEL: Record<Theme, string> = { system: "System theme", light: "Light theme", dark: "Dark theme" };

function ThemeToggle({ theme }: { theme: Theme }) {
  const location = useLocation();
  return (
    <Form method="post" action="/resources/theme" className="theme-toggle">
      <input type="hidden" name="theme" value={nextTheme(theme)} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button
        type="submit"
        className="btn btn-ghost"
        title={`${THEME_LABEL[theme]} — switch to ${THEME_LABEL[nextTheme(theme)].toLowerCase()}`}
      >
        <span aria-hidden="true">{theme === "dark" ? "☾" : theme === "light" ? "☀" : "◐"}</span>
        <span className="sr-only">
          {THEME_LABEL[theme]}; switch to {THEME_LABEL[nextTheme(theme)].toLowerCase()}
        </span>
      </button>
    </Form>
  );
}

function Document({ children, theme }: { children: ReactNode; theme: Theme }) {
  const nonce = useNonce();
  return (
    <html lang="en" data-theme={theme}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content={theme === "system" ? "light dark" : theme} />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const theme = data?.theme ?? "system";
  return (
    <Document theme={theme}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <a className="brand" href="/">
          <span className="brand-mark" aria-hidden="true">
            ⟨⟩
          </span>
          Prompt Builder
        </a>
        {data?.env.ENABLE_AUTH && !data.user ? null : (
          <nav aria-label="Main" className="main-nav">
            <NavLink to="/" end>
              Library
            </NavLink>
            <NavLink to="/snippets">Snippets</NavLink>
            {/* The trash is for editors (viewers get 403 there). */}
            {!data?.env.ENABLE_AUTH || (data.user && data.user.role !== "viewer") ? (
              <NavLink to="/trash">Trash</NavLink>
            ) : null}
          </nav>
        )}
        <div className="header-actions">
          {!data?.env.ENABLE_AUTH || (data.user && data.user.role !== "viewer") ? (
            <NavLink to="/prompts/new" className="btn btn-primary">
              New prompt
            </NavLink>
          ) : null}
          <AccountMenu user={data?.user ?? null} authEnabled={data?.env.ENABLE_AUTH ?? false} />
          <ThemeToggle theme={theme} />
        </div>
      </header>
      <main id="main" className="app-main">
        {children}
      </main>
      <footer className="app-footer">Prompt Builder {data?.env.APP_VERSION}</footer>
    </Document>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const title = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : "Something went wrong";
  const detail = isRouteErrorResponse(error)
    ? typeof error.data === "string"
      ? error.data
      : error.status === 404
        ? "There is nothing at this address."
        : ""
    : "An unexpected error occurred. It has been logged.";
  return (
    <section className="error-page" role="alert">
      <h1>{title}</h1>
      {detail ? <p>{detail}</p> : null}
      <p>
        <a href="/">Back to the library</a>
      </p>
    </section>
  );
}
