import { serverGlobalSetup } from '@stagegate/app-kit/e2e/server';

export default serverGlobalSetup(['web']);
