import { mountApp } from '@stagegate/app-kit/mount';
import { ApiProvider } from './lib/ApiProvider.js';
import { Root } from './Root.js';
import './index.css';

mountApp(
  <ApiProvider>
    <Root />
  </ApiProvider>,
);
