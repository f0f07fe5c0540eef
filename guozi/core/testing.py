"""Helpers for tests of every app: demo users and organisations by name, logged-in clients."""

from django.test import Client

from guozi.core.models import Organization, User


def user(username: str) -> User:
    return User.objects.get(username=username)


def org(short_name: str) -> Organization:
    return Organization.objects.get(short_name=short_name)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client
