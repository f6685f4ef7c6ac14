import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type Model, Types } from 'mongoose';
import type { Role } from 'src/core/auth';
import { User } from './schemas/user.schema';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  tokensValidAfter?: Date;
  createdAt: Date;
}

type UserLean = User & { _id: Types.ObjectId };

function toRecord(doc: UserLean): UserRecord {
  return {
    id: doc._id.toHexString(),
    email: doc.email,
    name: doc.name,
    roles: doc.roles,
    tokensValidAfter: doc.tokensValidAfter,
    createdAt: doc.createdAt,
  };
}

@Injectable()
export class UsersRepository {
  constructor(@InjectModel(User.name) private readonly users: Model<User>) {}

  /** Inserts a user; a taken e-mail surfaces as a duplicate-key error (code 11000). */
  async create(input: {
    email: string;
    name: string;
    passwordHash: string;
    roles: Role[];
  }): Promise<UserRecord> {
    const doc = await this.users.create(input);
    return toRecord(doc.toObject());
  }

  async findById(id: string): Promise<UserRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.users.findById(id).lean<UserLean>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** Users with these e-mail addresses (any case); unknown addresses are simply absent. */
  async findByEmails(emails: string[]): Promise<UserRecord[]> {
    const docs = await this.users
      .find({ email: { $in: emails.map((email) => email.toLowerCase()) } })
      .lean<UserLean[]>()
      .exec();
    return docs.map(toRecord);
  }

  async findByIds(ids: string[]): Promise<UserRecord[]> {
    const valid = ids.filter((id) => Types.ObjectId.isValid(id));
    if (valid.length === 0) return [];
    const docs = await this.users
      .find({ _id: { $in: valid } })
      .lean<UserLean[]>()
      .exec();
    return docs.map(toRecord);
  }

  async findByEmailWithPassword(
    email: string,
  ): Promise<(UserRecord & { passwordHash: string }) | null> {
    const doc = await this.users
      .findOne({ email: email.toLowerCase() })
      .select('+passwordHash')
      .lean<UserLean>()
      .exec();
    return doc ? { ...toRecord(doc), passwordHash: doc.passwordHash } : null;
  }

  async findPasswordHash(id: string): Promise<string | null> {
    const doc = await this.users.findById(id).select('+passwordHash').lean<UserLean>().exec();
    return doc?.passwordHash ?? null;
  }

  /** updateOne, not findOneAndUpdate: this model has a select:false field (FERRETDB.md). */
  async updatePassword(id: string, passwordHash: string, tokensValidAfter: Date): Promise<void> {
    await this.users.updateOne({ _id: id }, { $set: { passwordHash, tokensValidAfter } }).exec();
  }

  async setRoles(id: string, roles: Role[]): Promise<UserRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const result = await this.users.updateOne({ _id: id }, { $set: { roles } }).exec();
    return result.matchedCount === 0 ? null : this.findById(id);
  }
}
