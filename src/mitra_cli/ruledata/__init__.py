"""ruledata"""
