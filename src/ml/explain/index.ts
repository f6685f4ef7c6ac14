export * from './tree-shap';
export * from './importance';
export * from './xgboost-import';
export * from './linear-contributions';
