import { createBrowserRouter, Navigate } from 'react-router-dom';
import { ConfigTab } from '../pages/ConfigTab.js';
import { DimensionPage } from '../pages/DimensionPage.js';
import { ChangePasswordPage, LoginPage } from '../pages/LoginPage.js';
import { MetricsTab } from '../pages/MetricsTab.js';
import { ModelPage } from '../pages/ModelPage.js';
import { NotFoundPage, RouteError } from '../pages/NotFoundPage.js';
import { ProjectLayout } from '../pages/ProjectLayout.js';
import { ProjectsPage } from '../pages/ProjectsPage.js';
import { SessionPage } from '../pages/SessionPage.js';
import { SessionsTab } from '../pages/SessionsTab.js';
import { SpansTab } from '../pages/SpansTab.js';
import { ApiKeysSection } from '../pages/settings/ApiKeysSection.js';
import { SettingsLayout } from '../pages/settings/SettingsLayout.js';
import { UsersSection } from '../pages/settings/UsersSection.js';
import { TracePage } from '../pages/TracePage.js';
import { AppLayout } from './AppLayout.js';

export const router = createBrowserRouter([
  // Benchmark and browser-test pages, outside the app's layout and navigation.
  {
    path: '/__bench/point-cloud',
    lazy: async () => ({
      Component: (await import('../pages/bench/PointCloudBenchPage.js')).PointCloudBenchPage,
    }),
  },
  { path: '/login', element: <LoginPage /> },
  { path: '/reset-password', element: <ChangePasswordPage /> },
  {
    path: '/',
    element: <AppLayout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/projects" replace /> },
      { path: 'projects', element: <ProjectsPage /> },
      {
        path: 'projects/:project',
        element: <ProjectLayout />,
        children: [
          { index: true, element: <Navigate to="traces" replace /> },
          { path: 'traces', element: <SpansTab rootsOnly /> },
          { path: 'spans', element: <SpansTab rootsOnly={false} /> },
          { path: 'sessions', element: <SessionsTab /> },
          { path: 'metrics', element: <MetricsTab /> },
          { path: 'config', element: <ConfigTab /> },
        ],
      },
      { path: 'projects/:project/traces/:traceId', element: <TracePage /> },
      { path: 'projects/:project/sessions/:sessionId', element: <SessionPage /> },
      {
        path: 'settings',
        element: <SettingsLayout />,
        children: [
          { index: true, element: <Navigate to="api-keys" replace /> },
          { path: 'api-keys', element: <ApiKeysSection /> },
          { path: 'users', element: <UsersSection /> },
        ],
      },
      { path: 'model', element: <ModelPage /> },
      { path: 'model/dimensions/:name', element: <DimensionPage /> },
      {
        path: 'model/embeddings/:name',
        lazy: async () => ({ Component: (await import('../pages/EmbeddingPage.js')).EmbeddingPage }),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
