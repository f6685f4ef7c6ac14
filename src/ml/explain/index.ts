export * from './tree-shap';
export * from './importance';
export * from './xgboost-import';
